"""Invitations: the editor invites, the mail carries a one-time link, the guest accepts."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from guests import invitations
from guests.models import Invitation
from tests.factories import (
    PASSWORD,
    GuestFactory,
    InvitationFactory,
    SeriesFactory,
    TrendFactory,
    TrendListFactory,
)

STRONG = "Wijkteam-Zomer-2024!"


def accept_data(**changes):
    data = {"password1": STRONG, "password2": STRONG, "display_name": "Hans Versteegh",
            "bio": "Opbouwwerker in Deventer.", "organisation": "Stichting Buurtkracht",
            "role": "opbouwwerker", "website": "https://buurtkracht.example.org",
            "linkedin": "hansversteegh", "twitter": "@hansv"}
    data.update(changes)
    return data


def link_in(mail) -> str:
    match = re.search(r"https://welzijn\.test(/uitnodiging/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


@pytest.mark.django_db
def test_invitation_mail_holds_the_link_the_trend_the_series_and_the_expiry(
    editor, mailoutbox, django_capture_on_commit_callbacks
):
    trend = TrendFactory(trend_list=TrendListFactory(year=2010), number=8,
                         title="Social media is booming")
    series = SeriesFactory(title="11 gastbloggers blikken terug")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.create_invitation(
            email="hans@example.org", name="Hans", invited_by=editor, trend=trend,
            series=series, message="Jij bent de aangewezen persoon voor deze trend.",
        )
    (mail,) = mailoutbox
    assert mail.to == ["hans@example.org"] and mail.reply_to == ["redactie@example.org"]
    assert "Uitnodiging" in mail.subject
    assert link_in(mail) == invitation.get_absolute_url()
    assert "Beste Hans," in mail.body
    assert "trend 8 van 2010" in mail.body and "Social media is booming" in mail.body
    assert "11 gastbloggers blikken terug" in mail.body
    assert "Jij bent de aangewezen persoon voor deze trend." in mail.body
    expires = timezone.localtime(invitation.expires_at)
    assert (expires - timezone.now()).days in (13, 14)
    assert f"geldig tot {expires.day} " in mail.body
    html = mail.alternatives[0][0]
    assert invitation.get_absolute_url() in html and "<strong>Social media is booming</strong>" in html
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


@pytest.mark.django_db
def test_only_editors_invite(guest):
    with pytest.raises(PermissionDenied):
        invitations.create_invitation(email="x@example.org", invited_by=guest)


@pytest.mark.django_db
def test_accepting_makes_a_guest_account_with_profile_and_lands_on_the_desk(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    trend = TrendFactory(title="Vraaggericht werken")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.create_invitation(email="Hans@Example.org", invited_by=editor, trend=trend,
                                      name="Hans")
    url = link_in(mailoutbox[0])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vraaggericht werken" in html and 'name="password1"' in html
    assert 'value="Hans"' in html  # the name from the invitation, pre-filled
    assert "no-store" in page["Cache-Control"]

    response = client.post(url, accept_data())
    assert response.status_code == 302 and response["Location"] == reverse("desk:dashboard")
    user = User.objects.get(email__iexact="hans@example.org")
    assert not user.is_staff and user.check_password(STRONG)
    profile = user.profile
    assert (profile.display_name, profile.organisation, profile.role, profile.twitter) == (
        "Hans Versteegh", "Stichting Buurtkracht", "opbouwwerker", "hansv")
    assert profile.linkedin_url == "https://www.linkedin.com/in/hansversteegh/"
    assert "<p>Opbouwwerker in Deventer.</p>" == profile.bio_html
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None

    desk = client.get(response["Location"])
    assert desk.status_code == 200 and desk.wsgi_request.user == user
    assert "Welkom bij" in desk.content.decode() and "Vraaggericht werken" in desk.content.decode()


@pytest.mark.django_db
def test_password_must_pass_djangos_validators_and_typed_profile_is_kept(client):
    invitation = InvitationFactory()
    url = invitation.get_absolute_url()
    response = client.post(url, accept_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit wachtwoord is te algemeen" in html
    assert "bevat alleen cijfers" in html
    assert "Stichting Buurtkracht" in html
    response = client.post(url, accept_data(password2="iets-anders-42"))
    assert "niet gelijk" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_a_used_link_cannot_make_a_second_account(make_client):
    invitation = InvitationFactory()
    url = invitation.get_absolute_url()
    assert make_client().post(url, accept_data()).status_code == 302
    again = make_client().post(url, accept_data(display_name="Iemand anders"))
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    assert User.objects.filter(email=invitation.email).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("state,status,text", [
    ("expired", 410, "Deze uitnodiging is verlopen"),
    ("used", 410, "Deze uitnodiging is al gebruikt"),
    ("revoked", 410, "Deze uitnodiging is ingetrokken"),
    ("unknown", 404, "Deze uitnodiging kennen we niet"),
])
def test_unusable_links_get_a_clear_page(client, state, status, text):
    invitation = InvitationFactory()
    token = invitation.token
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "used":
        Invitation.objects.filter(pk=invitation.pk).update(
            accepted_at=timezone.now(), accepted_by=GuestFactory())
    elif state == "revoked":
        invitations.revoke_invitation(invitation=invitation, actor=invitation.invited_by)
    else:
        token = "bestaat-niet"
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("join:invitation", args=[token]),
                                           accept_data())
        assert response.status_code == status
        assert text in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists() or state == "used"


@pytest.mark.django_db
def test_an_address_with_an_account_is_linked_not_duplicated(make_client, editor):
    existing = GuestFactory(username="marieke", email="marieke@example.org")
    invitation = invitations.create_invitation(
        email="MARIEKE@example.org", invited_by=editor, trend=TrendFactory(), send=False
    )
    url = invitation.get_absolute_url()

    anonymous = make_client()
    page = anonymous.get(url).content.decode()
    assert "Je hebt al een account" in page and 'name="password1"' not in page
    anonymous.post(url, accept_data())  # cannot sneak a second account in either
    assert User.objects.filter(email__iexact="marieke@example.org").count() == 1

    signed_in = make_client(existing)
    page = signed_in.get(url).content.decode()
    assert 'name="password1"' not in page and existing.profile.display_name in page
    response = signed_in.post(url, accept_data(display_name="Marieke Bos"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_by == existing
    assert User.objects.filter(email__iexact="marieke@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)  # the invitation never touched the password
    assert existing.profile.display_name == "Marieke Bos"


@pytest.mark.django_db
def test_someone_signed_in_with_another_address_is_told_so(make_client, guest):
    invitation = InvitationFactory(email="iemand-anders@example.org")
    response = make_client(guest).post(invitation.get_absolute_url(), accept_data())
    assert response.status_code == 403
    assert "voor een ander e-mailadres" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_the_invitations_series_goes_with_the_first_post(client, editor):
    series = SeriesFactory()
    invitation = invitations.create_invitation(email="s@example.org", invited_by=editor,
                                               series=series, send=False)
    client.post(invitation.get_absolute_url(), accept_data())
    client.post(reverse("desk:new"), {"version": 1, "title": "Deel 4", "body_markdown": "Tekst"})
    user = User.objects.get(email="s@example.org")
    assert Post.objects.by_author(user).get().series == series


# --- the invitation admin ----------------------------------------------------------------


@pytest.mark.django_db
def test_admin_creates_and_sends(editor_client, editor, mailoutbox,
                                 django_capture_on_commit_callbacks):
    trend = TrendFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:guests_invitation_add"), {
            "email": "nieuw@example.org", "name": "Nieuwe Gast", "trend": trend.pk,
            "series": "", "message": "Welkom!",
            "expires_at": "2099-12-31T12:00",  # one labelled date-time field
        })
    assert response.status_code == 302, response.content.decode()[:3000]
    invitation = Invitation.objects.get()
    assert invitation.invited_by == editor and invitation.trend == trend
    (mail,) = mailoutbox
    assert mail.to == ["nieuw@example.org"] and invitation.get_absolute_url() in mail.body


@pytest.mark.django_db
def test_admin_resend_renews_an_expired_link_but_not_a_used_one(
    editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    expired = InvitationFactory(expires_at=timezone.now() - timedelta(days=2))
    used = InvitationFactory(accepted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:guests_invitation_changelist"), {
            "action": "resend", "_selected_action": [expired.pk, used.pk],
        }, follow=True)
    expired.refresh_from_db()
    assert expired.is_usable() and expired.expires_at > timezone.now() + timedelta(days=13)
    assert [m.to for m in mailoutbox] == [[expired.email]]
    html = response.content.decode()
    assert "1 uitnodiging opnieuw verstuurd" in html and used.email in html


@pytest.mark.django_db
def test_admin_revokes_and_lists_the_state(editor_client, client):
    invitation = InvitationFactory()
    InvitationFactory(accepted_at=timezone.now())
    InvitationFactory(expires_at=timezone.now() - timedelta(days=1))
    editor_client.post(reverse("admin:guests_invitation_changelist"),
                       {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    html = editor_client.get(reverse("admin:guests_invitation_changelist")).content.decode()
    for state in ("Ingetrokken", "Geaccepteerd", "Verlopen"):
        assert f"<td class=\"field-state\">{state}</td>" in html
    open_only = editor_client.get(reverse("admin:guests_invitation_changelist") + "?staat=open")
    assert "<td class=\"field-state\">" not in open_only.content.decode()
