"""/schrijf-mee/: a would-be guest proposes a post; the editor invites or kindly declines."""

import re
import time

import pytest
from django.urls import reverse

from core.antispam import make_form_timestamp
from guests.models import Invitation, Pitch
from tests.factories import TrendFactory, TrendListFactory

URL = "/schrijf-mee/"


def pitch_data(**changes):
    data = {
        "name": "Fatima El Amrani",
        "email": "fatima@example.org",
        "trend": "",
        "topic": "Buurtsportcoaches en eenzaamheid",
        "pitch": "Ik werk als buurtsportcoach en zie elke week hoe sport eenzaamheid doorbreekt.",
        "website_confirm": "",
        "form_started": make_form_timestamp(time.time() - 60),
    }
    data.update(changes)
    return data


@pytest.fixture
def pitch(db):
    return Pitch.objects.create(
        name="Fatima El Amrani", email="fatima@example.org",
        trend=TrendFactory(title="Sport in de wijk"),
        pitch="Ik zie elke week hoe sport eenzaamheid doorbreekt.",
    )


# --- the public page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_the_trends_and_hides_the_honeypot(client):
    TrendFactory(trend_list=TrendListFactory(year=2010), number=4, title="Vrijwilligers")
    html = client.get(URL).content.decode()
    assert "<h1>Schrijf mee</h1>" in html
    assert "2010 · 4. Vrijwilligers" in html
    assert '<div class="hp">' in html and 'name="website_confirm"' in html
    assert 'name="form_started"' in html


@pytest.mark.django_db
def test_a_pitch_is_stored_and_the_editors_hear_of_it(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    trend = TrendFactory(title="Vrijwilligers")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, pitch_data(trend=trend.pk, topic=""))
    assert response.status_code == 302 and response["Location"] == reverse("join:pitch-thanks")
    stored = Pitch.objects.get()
    assert (stored.name, stored.trend, stored.status) == ("Fatima El Amrani", trend, "new")
    assert stored.ip_hash and "127.0.0.1" not in stored.ip_hash
    (mail,) = mailoutbox
    assert mail.to == ["redactie@example.org"] and mail.reply_to == ["fatima@example.org"]
    assert "buurtsportcoach" in mail.body
    assert reverse("admin:guests_pitch_change", args=[stored.pk]) in mail.body
    assert "Dank je voor je voorstel" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("trap", ["honeypot", "too_fast", "forged_timestamp"])
def test_a_bot_gets_the_normal_answer_and_nothing_is_stored(
    client, editor, mailoutbox, django_capture_on_commit_callbacks, trap
):
    changes = {
        "honeypot": {"website_confirm": "http://spam.example"},
        "too_fast": {"form_started": make_form_timestamp()},
        "forged_timestamp": {"form_started": "12345"},
    }[trap]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, pitch_data(**changes))
    assert response.status_code == 302 and response["Location"] == reverse("join:pitch-thanks")
    assert not Pitch.objects.exists() and mailoutbox == []


@pytest.mark.django_db
def test_a_pitch_left_open_for_more_than_a_day_comes_back_and_then_goes_in(client, editor):
    typed = pitch_data(form_started=make_form_timestamp(time.time() - 86400 - 60))
    response = client.post(URL, typed)
    html = response.content.decode()
    assert response.status_code == 200 and "langer dan een dag open" in html
    assert "buurtsportcoach en zie elke week" in html and not Pitch.objects.exists()
    fresh = re.search(r'name="form_started" value="([^"]+)"', html).group(1)
    response = client.post(URL, {**typed, "form_started": fresh})
    assert response["Location"] == reverse("join:pitch-thanks")
    assert Pitch.objects.get().topic == "Buurtsportcoaches en eenzaamheid"


@pytest.mark.django_db
def test_too_many_pitches_from_one_address_get_a_429_in_dutch(client, settings,
                                                             steady_rate_window):
    settings.PITCH_RATE_LIMIT = "2/h"
    for n in range(2):
        assert client.post(URL, pitch_data(email=f"p{n}@example.org")).status_code == 302
    response = client.post(URL, pitch_data(email="p3@example.org"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Even geduld" in html and "te veel voorstellen" in html
    assert Pitch.objects.count() == 2


@pytest.mark.django_db
def test_a_pitch_needs_a_trend_or_a_topic_and_keeps_what_was_typed(client):
    response = client.post(URL, pitch_data(topic="", email="geen-adres"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een trend of noem een onderwerp." in html
    assert "Voer een geldig e-mailadres in." in html
    assert "zie elke week hoe sport eenzaamheid doorbreekt" in html
    assert not Pitch.objects.exists()


# --- the editor's side -------------------------------------------------------------------


@pytest.mark.django_db
def test_one_click_turns_a_pitch_into_an_invitation_with_the_pitch_text(
    editor_client, editor, pitch, mailoutbox, django_capture_on_commit_callbacks
):
    page = editor_client.get(reverse("admin:guests_pitch_change", args=[pitch.pk]))
    invite_url = reverse("admin:guests_pitch_invite", args=[pitch.pk])
    assert invite_url in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(invite_url)
    assert response.status_code == 302
    pitch.refresh_from_db()
    invitation = pitch.invitation
    assert pitch.status == Pitch.Status.INVITED and pitch.decided_at is not None
    assert (invitation.email, invitation.name, invitation.trend, invitation.invited_by) == (
        "fatima@example.org", "Fatima El Amrani", pitch.trend, editor)
    assert "Ik zie elke week hoe sport eenzaamheid doorbreekt." in invitation.message
    (mail,) = mailoutbox
    assert mail.to == ["fatima@example.org"]
    assert "Ik zie elke week hoe sport eenzaamheid doorbreekt." in mail.body
    assert invitation.get_absolute_url() in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(invite_url)  # a second click invites nobody twice
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


@pytest.mark.django_db
def test_invite_needs_a_post(editor_client, pitch):
    response = editor_client.get(reverse("admin:guests_pitch_invite", args=[pitch.pk]))
    assert response.status_code == 405
    pitch.refresh_from_db()
    assert pitch.status == Pitch.Status.NEW


@pytest.mark.django_db
def test_invite_as_a_list_action(editor_client, pitch, mailoutbox,
                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:guests_pitch_changelist"),
                           {"action": "invite_selected", "_selected_action": [pitch.pk]})
    pitch.refresh_from_db()
    assert pitch.status == Pitch.Status.INVITED and len(mailoutbox) == 1


@pytest.mark.django_db
def test_decline_with_a_kind_mail_the_editor_can_rework(
    editor_client, editor, pitch, mailoutbox, django_capture_on_commit_callbacks
):
    response = editor_client.post(reverse("admin:guests_pitch_changelist"),
                                  {"action": "decline_selected", "_selected_action": [pitch.pk]})
    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert "Beste Fatima El Amrani," in html and "Dank je wel voor je voorstel" in html
    assert not mailoutbox  # nothing goes out before the editor presses the button

    own_words = "Beste Fatima,\n\nDit jaar is de reeks vol. Probeer het in oktober nog eens!\n\nAnneke"
    prefix = f"p{pitch.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(response["Location"], {
            "ids": str(pitch.pk), f"{prefix}-subject": "Je voorstel", f"{prefix}-body": own_words,
        })
    assert response.status_code == 302
    pitch.refresh_from_db()
    assert pitch.status == Pitch.Status.DECLINED and pitch.invitation is None
    (mail,) = mailoutbox
    assert mail.subject == "Je voorstel" and mail.to == ["fatima@example.org"]
    assert mail.body.strip() == own_words
    assert mail.reply_to == [editor.email]
    assert "Probeer het in oktober nog eens!" in mail.alternatives[0][0]


@pytest.mark.django_db
def test_decline_needs_a_text_and_keeps_the_edit(editor_client, pitch, mailoutbox):
    url = reverse("admin:guests_pitch_decline") + f"?ids={pitch.pk}"
    response = editor_client.post(url, {"ids": str(pitch.pk), f"p{pitch.pk}-subject": "Hoi",
                                         f"p{pitch.pk}-body": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    pitch.refresh_from_db()
    assert pitch.status == Pitch.Status.NEW and not mailoutbox


@pytest.mark.django_db
def test_a_decided_pitch_is_not_declined_again(editor_client, editor, pitch):
    Pitch.objects.filter(pk=pitch.pk).update(status=Pitch.Status.INVITED)
    response = editor_client.get(reverse("admin:guests_pitch_decline") + f"?ids={pitch.pk}")
    assert response.status_code == 302


@pytest.mark.django_db
def test_guests_cannot_reach_the_pitch_admin(guest_client, pitch):
    for url in (reverse("admin:guests_pitch_changelist"),
                reverse("admin:guests_pitch_invite", args=[pitch.pk])):
        response = guest_client.post(url)
        assert response.status_code == 302 and "/beheer/login/" in response["Location"]
    pitch.refresh_from_db()
    assert pitch.status == Pitch.Status.NEW
