"""The editor's view of the mailing list: who is on it, in which state, as a safe CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from newsletter.models import Subscriber
from tests.factories import EditorFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/newsletter/subscriber/"


@pytest.fixture
def admin_client(make_client):
    return make_client(EditorFactory(is_superuser=True))


@pytest.fixture
def mixed_list():
    now = timezone.now()
    return {
        "confirmed": SubscriberFactory.create_batch(3),
        "pending": SubscriberFactory.create_batch(2, confirmed_at=None),
        "unsubscribed": [SubscriberFactory(unsubscribed_at=now - timedelta(days=1))],
    }


def emails_on(response) -> set[str]:
    return {s.email for s in response.context["cl"].result_list}


def test_the_list_shows_counts_per_state_and_filters_on_them(admin_client, mixed_list):
    response = admin_client.get(CHANGELIST)
    html = response.content.decode()

    assert "3 bevestigd · 2 wachten op bevestiging · 1 afgemeld" in html
    assert "Bevestigd (3)" in html and "Wacht op bevestiging (2)" in html
    assert "Afgemeld (1)" in html
    for state, subscribers in mixed_list.items():
        filtered = admin_client.get(CHANGELIST, {"status": state})
        assert emails_on(filtered) == {s.email for s in subscribers}


def test_editors_cannot_add_addresses_that_never_confirmed(admin_client):
    assert admin_client.get(CHANGELIST + "add/").status_code == 403


def test_csv_export_defuses_spreadsheet_formulas(admin_client):
    risky = [
        SubscriberFactory(email="=cmd@example.org", name="=HYPERLINK(\"https://kwaad.example\")"),
        SubscriberFactory(email="+31@example.org", name="+31 6 1234"),
        SubscriberFactory(email="-min@example.org", name="@SUM(A1)"),
        SubscriberFactory(email="gewoon@example.org", name="Marieke de Vries",
                          confirmed_at=None),
    ]

    response = admin_client.post(CHANGELIST, {
        "action": "export_csv", "_selected_action": [s.pk for s in risky],
    })

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["e-mailadres", "naam", "status", "aangemeld", "bevestigd", "afgemeld"]
    by_email = {row[0]: row for row in rows[1:]}
    assert set(by_email) == {"'=cmd@example.org", "'+31@example.org", "'-min@example.org",
                             "gewoon@example.org"}
    assert by_email["'=cmd@example.org"][1] == "'=HYPERLINK(\"https://kwaad.example\")"
    assert by_email["'-min@example.org"][1] == "'@SUM(A1)"
    assert by_email["gewoon@example.org"][1:3] == ["Marieke de Vries", "Wacht op bevestiging"]
    assert by_email["gewoon@example.org"][4] == ""  # not confirmed
    for row in rows:
        assert not any(cell[:1] in "=+-@\t\r" and cell for cell in row)


def test_the_export_follows_the_filter(admin_client, mixed_list):
    response = admin_client.post(CHANGELIST + "?status=confirmed", {
        "action": "export_csv",
        "select_across": "1",
        "index": "0",
        "_selected_action": [mixed_list["confirmed"][0].pk],
    })
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {s.email for s in mixed_list["confirmed"]}


def test_an_editor_can_unsubscribe_an_address(admin_client, mixed_list):
    chosen = mixed_list["confirmed"][0]
    admin_client.post(CHANGELIST, {
        "action": "unsubscribe_selected", "_selected_action": [chosen.pk],
    })
    chosen.refresh_from_db()
    assert chosen.state == Subscriber.State.UNSUBSCRIBED
    assert Subscriber.objects.active().count() == 2
