"""The editor sees every digest run: its posts, how many it reached, what failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsletter import digest
from newsletter.models import DigestDelivery, DigestRun
from tests.factories import EditorFactory, LivePostFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/newsletter/digestrun/"


@pytest.fixture
def admin_client(make_client):
    return make_client(EditorFactory(is_superuser=True))


@pytest.fixture
def finished_run(mailoutbox):
    subscribers = SubscriberFactory.create_batch(4)
    LivePostFactory(title="Sociaal media is booming",
                    publish_at=timezone.now() - timedelta(hours=2))
    LivePostFactory(title="Het Wauw verkopen", publish_at=timezone.now() - timedelta(hours=1))
    run = digest.open_run()
    failed = run.deliveries.get(subscriber=subscribers[0])
    DigestDelivery.objects.filter(pk=failed.pk).update(
        state=DigestDelivery.State.FAILED, attempts=3, error="SMTPRecipientsRefused: 550"
    )
    digest.send_digest()
    return run, subscribers


def test_the_runs_list_says_what_each_run_sent(admin_client, finished_run):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert (row.post_total, row.sent_total, row.failed_total, row.open_total) == (2, 3, 1, 0)
    html = response.content.decode()
    assert "Digest 1" in html
    assert "Geen berichten die op de volgende digest wachten." in html


def test_a_run_shows_its_posts_and_its_failures(admin_client, finished_run):
    run, subscribers = finished_run
    html = admin_client.get(f"{CHANGELIST}{run.pk}/change/").content.decode()

    assert "Sociaal media is booming" in html and "Het Wauw verkopen" in html
    assert "3 verstuurd, 0 overgeslagen, 1 mislukt, 0 nog te gaan" in html
    assert subscribers[0].email in html and "SMTPRecipientsRefused: 550" in html


def test_posts_waiting_for_the_next_digest_are_counted(admin_client, finished_run):
    LivePostFactory(publish_at=timezone.now() - timedelta(minutes=5))
    html = admin_client.get(CHANGELIST).content.decode()
    assert "1 live bericht wacht op de volgende digest" in html


def test_runs_are_read_only(admin_client, finished_run):
    run, _subscribers = finished_run
    assert admin_client.get(CHANGELIST + "add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{run.pk}/delete/").status_code == 403
    assert DigestRun.objects.count() == 1


def test_the_runs_list_costs_the_same_queries_for_many_runs(
    admin_client, django_assert_max_num_queries, mailoutbox
):
    SubscriberFactory.create_batch(3)

    def new_run():
        LivePostFactory(publish_at=timezone.now() - timedelta(seconds=1))
        digest.send_digest()

    new_run()
    with django_assert_max_num_queries(20) as few:
        admin_client.get(CHANGELIST)
    for _ in range(6):
        new_run()
    with django_assert_max_num_queries(len(few)) as many:
        admin_client.get(CHANGELIST)
    assert DigestRun.objects.count() == 7
    assert len(many) == len(few)


def test_erasing_a_subscriber_keeps_the_runs_figures_but_not_the_address(
    admin_client, finished_run
):
    run, subscribers = finished_run
    gone = subscribers[1]
    response = admin_client.post(
        f"/beheer/newsletter/subscriber/{gone.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302

    [row] = admin_client.get(CHANGELIST).context["cl"].result_list
    assert (row.sent_total, row.failed_total) == (3, 1)
    html = admin_client.get(f"{CHANGELIST}{run.pk}/change/").content.decode()
    assert gone.email not in html
    assert not DigestDelivery.objects.filter(error__icontains=gone.email).exists()
