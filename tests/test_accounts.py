"""Log in (e-mail or username), log out, password reset and change, the profile; guests
never reach the admin."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, GuestFactory

LOGIN = "/account/inloggen/"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


@pytest.mark.django_db
def test_login_page_is_dutch(client):
    html = client.get(LOGIN).content.decode()
    assert "<h1>Inloggen</h1>" in html
    assert "Gebruikersnaam of e-mailadres" in html and "Wachtwoord vergeten?" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("login_name", ["gast-a", "gast-a@example.org", "Gast-A@Example.ORG"])
def test_a_guest_logs_in_by_username_or_email_and_lands_on_the_desk(client, guest, login_name):
    response = login(client, login_name)
    assert response.status_code == 302 and response["Location"] == reverse("desk:dashboard")
    assert client.get(reverse("desk:dashboard")).wsgi_request.user == guest


@pytest.mark.django_db
def test_an_editor_lands_in_the_admin_and_next_is_respected(make_client, editor, guest):
    response = login(make_client(), "redactie@example.org")
    assert response["Location"] == reverse("admin:index")
    response = login(make_client(), "gast-a", next="/schrijven/nieuw/")
    assert response["Location"] == "/schrijven/nieuw/"
    response = login(make_client(), "gast-a", next="https://elders.example/")
    assert response["Location"] == reverse("desk:dashboard")


@pytest.mark.django_db
def test_a_wrong_password_gets_a_dutch_message(client, guest):
    response = login(client, "gast-a@example.org", "fout")
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()
    assert "gast-a@example.org" in response.content.decode()  # what was typed is kept


@pytest.mark.django_db
def test_an_inactive_account_cannot_log_in(client):
    GuestFactory(username="weg", email="weg@example.org", is_active=False)
    assert login(client, "weg@example.org").status_code == 200


@pytest.mark.django_db
def test_too_many_login_attempts_get_a_429(client, guest, settings, steady_rate_window):
    settings.LOGIN_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert login(client, "gast-a", "fout").status_code == 200
    response = login(client, "gast-a")  # even the right password waits
    assert response.status_code == 429 and "Even geduld" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_says_so(guest_client):
    assert guest_client.get("/account/uitloggen/").status_code == 405
    response = guest_client.post("/account/uitloggen/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "Je bent uitgelogd." in response.content.decode()
    assert guest_client.get(reverse("desk:dashboard")).status_code == 302


@pytest.mark.django_db
def test_password_reset_by_mail_in_dutch(client, guest, mailoutbox,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves through a task
        response = client.post(reverse("accounts:password_reset"),
                               {"email": "GAST-A@example.org"})
    assert response.status_code == 302
    assert "Kijk in je mail" in client.get(response["Location"]).content.decode()
    (mail,) = mailoutbox
    assert mail.subject == "Een nieuw wachtwoord kiezen" and mail.to == ["gast-a@example.org"]
    assert "Iemand (hopelijk jij) vroeg om een nieuw wachtwoord" in mail.body
    assert "Je logt in met: gast-a@example.org" in mail.body
    link = re.search(r"https://welzijn\.test(/account/herstel/\S+/)", mail.body).group(1)
    assert link in mail.alternatives[0][0]

    form = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Herfst-in-de-wijk-77",
                                     "new_password2": "Herfst-in-de-wijk-77"})
    assert response.status_code == 302
    assert "Wachtwoord opgeslagen" in client.get(response["Location"]).content.decode()
    guest.refresh_from_db()
    assert guest.check_password("Herfst-in-de-wijk-77")
    assert "niet meer" in client.get(link, follow=True).content.decode()  # one use only


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as tasks:
        response = client.post(reverse("accounts:password_reset"),
                               {"email": "niemand@example.org"})
    assert len(tasks) == 1  # the same work as for a known address: one task, which finds nobody
    assert response.status_code == 302 and response["Location"].endswith("/verstuurd/")
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change(guest_client, guest):
    response = guest_client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Nieuw-en-sterk-2025",
        "new_password2": "Nieuw-en-sterk-2025"})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.check_password("Nieuw-en-sterk-2025")


@pytest.mark.django_db
def test_guests_are_never_let_into_the_admin(guest_client, client, guest):
    response = guest_client.get("/beheer/")
    assert response.status_code == 302 and response["Location"].startswith("/beheer/login/")
    response = client.post("/beheer/login/?next=/beheer/",
                           {"username": "gast-a", "password": PASSWORD})
    assert response.status_code == 200  # the admin's login refuses non-staff
    assert client.get("/beheer/").status_code == 302


@pytest.mark.django_db
def test_editors_reach_the_guest_admin_pages(editor_client):
    for name in ("admin:guests_invitation_changelist", "admin:guests_pitch_changelist",
                 "admin:accounts_user_changelist"):
        assert editor_client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_profile_page_saves_and_renders_the_bio(guest_client, guest):
    response = guest_client.post(reverse("accounts:profile"), {
        "display_name": "Greet Gast", "bio": "Ik werk in Zwolle.\n\nMeer: https://example.org",
        "organisation": "Wijkteam", "role": "", "website": "example.org/greet",
        "linkedin": "", "twitter": "@greet"})
    assert response.status_code == 302
    profile = guest.profile
    profile.refresh_from_db()
    assert profile.display_name == "Greet Gast" and profile.twitter == "greet"
    assert profile.website == "https://example.org/greet"
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in profile.bio_html


@pytest.mark.django_db
def test_profile_refuses_a_foreign_link_as_linkedin(guest_client):
    response = guest_client.post(reverse("accounts:profile"), {
        "display_name": "Greet", "linkedin": "https://evil.example/x"})
    assert "Dit is geen LinkedIn-link." in response.content.decode()


@pytest.mark.django_db
def test_the_login_page_names_the_site_not_the_host(client, settings):
    settings.SITE_NAME = "Welzijn Nederland"
    html = client.get(reverse("accounts:login"), HTTP_HOST="127.0.0.1").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip() == "Inloggen · Welzijn Nederland"
    assert '<a class="site-name" href="/">Welzijn Nederland</a>' in html
    assert "127.0.0.1" not in html
