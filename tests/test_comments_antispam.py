"""Spam and abuse defence on the comment form: honeypot, timing, rate limit, input limits."""

import os
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches

from comments.models import Comment
from core import ratelimit
from core.antispam import make_form_timestamp
from tests.comment_helpers import comment_url, element_html, human_form
from tests.factories import LivePostFactory

pytestmark = pytest.mark.django_db



def _mid_minute() -> datetime:
    """Now, moved to 20 s into its minute: a frozen clock then sits inside one rate window."""
    return datetime.fromtimestamp((time.time() // 60) * 60 + 20, tz=ZoneInfo("Europe/Amsterdam"))


FROZEN = _mid_minute()


def assert_looks_accepted_but_stored_nothing(response):
    assert response.status_code == 302
    assert response["Location"].endswith("#reacties")
    assert not Comment.objects.exists()


def test_a_filled_honeypot_gets_the_normal_answer_and_nothing_is_stored(client):
    post = LivePostFactory()
    response = client.post(comment_url(post), human_form(website_confirm="https://spam.example"))
    assert_looks_accepted_but_stored_nothing(response)
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "wacht op goedkeuring" in page  # the same message a person gets


def test_a_form_posted_faster_than_a_person_types_is_a_bot(client, settings):
    settings.COMMENT_MIN_SECONDS = 3
    post = LivePostFactory()
    response = client.post(comment_url(post),
                           human_form(form_started=make_form_timestamp(time.time() - 1)))
    assert_looks_accepted_but_stored_nothing(response)


def test_a_person_who_took_their_time_gets_through(client, settings):
    settings.COMMENT_MIN_SECONDS = 3
    post = LivePostFactory()
    response = client.post(comment_url(post),
                           human_form(form_started=make_form_timestamp(time.time() - 4)))
    assert response.status_code == 302 and "#reactie-" in response["Location"]
    assert Comment.objects.count() == 1


def test_the_minimum_time_is_a_setting(client, settings):
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory()
    client.post(comment_url(post), human_form(form_started=make_form_timestamp()))
    assert Comment.objects.count() == 1


def test_the_form_timestamp_is_checked_against_a_patched_clock(client, settings):
    settings.COMMENT_MIN_SECONDS = 3
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        started = make_form_timestamp()
    with time_machine.travel(FROZEN.timestamp() + 2, tick=False):
        assert_looks_accepted_but_stored_nothing(
            client.post(comment_url(post), human_form(form_started=started)))
    with time_machine.travel(FROZEN.timestamp() + 3.5, tick=False):
        client.post(comment_url(post), human_form(form_started=started))
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("stamp", ["", "1715678000.0", "bogus:signature"])
def test_a_missing_or_forged_timestamp_is_a_bot(client, stamp):
    post = LivePostFactory()
    assert_looks_accepted_but_stored_nothing(
        client.post(comment_url(post), human_form(form_started=stamp)))


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_a_form_left_open_for_more_than_a_day_comes_back_as_typed_and_then_goes_in(client):
    """A timestamp more than a day old used to make the comment vanish as a bot's. It is a
    person who left the tab open: the form comes back with what they wrote, a Dutch
    explanation and a fresh timestamp, and sending it again places the comment."""
    post = LivePostFactory()
    old = make_form_timestamp(time.time() - 86400 - 60)
    typed = human_form(form_started=old, body="Na een nachtje slapen: helemaal mee eens.")
    response = client.post(comment_url(post), typed)
    html = response.content.decode()
    assert response.status_code == 200 and not Comment.objects.exists()
    form = element_html(html, "reactieformulier")
    assert "langer dan een dag open" in form and "Na een nachtje slapen" in form
    fresh = hidden_value(form, "form_started")
    assert fresh and fresh != old

    response = client.post(comment_url(post), {**typed, "form_started": fresh})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Na een nachtje slapen: helemaal mee eens."


def test_an_expired_timestamp_buys_one_fresh_one_and_no_more(client):
    post = LivePostFactory()
    old = make_form_timestamp(time.time() - 86400 - 60)
    assert "langer dan een dag open" in client.post(
        comment_url(post), human_form(form_started=old)).content.decode()
    # A bot replaying the same old timestamp gets the normal answer and nothing else.
    assert_looks_accepted_but_stored_nothing(
        client.post(comment_url(post), human_form(form_started=old)))
    # With the honeypot filled it never was a person's.
    assert_looks_accepted_but_stored_nothing(client.post(comment_url(post), human_form(
        form_started=make_form_timestamp(time.time() - 86400 - 60), website_confirm="x")))
    client.post(comment_url(post),
                human_form(form_started=make_form_timestamp(time.time() - 86400 + 60)))
    assert Comment.objects.count() == 1  # a form left open almost a day still works


def test_a_timestamp_works_once(client):
    """One fetched token used to work for any number of posts, from any client."""
    post = LivePostFactory()
    token = make_form_timestamp(time.time() - 60)
    client.post(comment_url(post), human_form(form_started=token, body="De eerste."))
    for body, address in (("Nog eens.", "127.0.0.1"), ("Van elders.", "203.0.113.77")):
        response = client.post(comment_url(post), human_form(form_started=token, body=body),
                               REMOTE_ADDR=address)
        assert response.status_code == 302 and response["Location"].endswith("#reacties")
    assert list(Comment.objects.values_list("body", flat=True)) == ["De eerste."]


def test_a_replayed_newsletter_or_pitch_timestamp_is_a_bots_too(
        client, django_capture_on_commit_callbacks):
    from newsletter.models import Subscriber

    token = make_form_timestamp(time.time() - 60)
    for email in ("een@example.org", "twee@example.org"):
        with django_capture_on_commit_callbacks(execute=True):  # the sign-up is a task
            response = client.post("/nieuwsbrief/", {"email": email, "website_confirm": "",
                                                     "form_started": token})
        assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["een@example.org"]


# --- rate limit ---------------------------------------------------------------------------

def test_over_the_rate_limit_a_429_in_dutch_keeps_what_was_typed(client, settings):
    settings.COMMENT_RATE_LIMIT = "5/m"
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        for n in range(5):
            response = client.post(comment_url(post), human_form(body=f"Reactie {n}"))
            assert response.status_code == 302
        response = client.post(comment_url(post), human_form(body="De zesde, te snel."))
    assert response.status_code == 429
    assert response["Retry-After"] == "40"  # FROZEN is 20 s into its one-minute window
    html = response.content.decode()
    assert "te veel reacties geplaatst" in html
    assert "De zesde, te snel." in html
    assert Comment.objects.count() == 5


def test_the_limit_is_per_client_address(client, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        for _ in range(2):
            client.post(comment_url(post), human_form(), REMOTE_ADDR="198.51.100.1")
        assert client.post(comment_url(post), human_form(), REMOTE_ADDR="198.51.100.1") \
            .status_code == 429
        assert client.post(comment_url(post), human_form(), REMOTE_ADDR="198.51.100.2") \
            .status_code == 302


def test_the_limit_resets_in_the_next_window(client, settings):
    settings.COMMENT_RATE_LIMIT = "1/m"
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        client.post(comment_url(post), human_form())
        assert client.post(comment_url(post), human_form()).status_code == 429
    with time_machine.travel(FROZEN.timestamp() + 60, tick=False):
        assert client.post(comment_url(post), human_form()).status_code == 302


def test_bots_count_against_the_limit_too(client, settings):
    settings.COMMENT_RATE_LIMIT = "3/m"
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        for _ in range(3):
            client.post(comment_url(post), human_form(website_confirm="spam"))
        assert client.post(comment_url(post), human_form()).status_code == 429


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="REDIS_URL is not set: sharing the counter across app nodes needs a Redis server "
           "(CI sets REDIS_URL; locmem is per process, so there is nothing to share)",
)
def test_with_redis_two_separate_cache_clients_share_one_counter(client, settings, monkeypatch):
    """Two app nodes are two cache clients with their own connections to one Redis."""
    settings.COMMENT_RATE_LIMIT = "5/m"
    node_a = caches.create_connection("default")
    node_b = caches.create_connection("default")
    assert node_a.get("anything") is None  # connected
    assert node_a._cache.get_client().connection_pool is not \
        node_b._cache.get_client().connection_pool
    post = LivePostFactory()
    with time_machine.travel(FROZEN, tick=False):
        statuses = []
        for n in range(6):
            monkeypatch.setattr(ratelimit, "cache", node_a if n % 2 else node_b)
            statuses.append(client.post(comment_url(post), human_form()).status_code)
    assert statuses == [302] * 5 + [429]
    keys = node_a._cache.get_client().keys(node_a.make_key("ratelimit:comment:*"))
    assert len(keys) == 1  # one shared counter, visible to a third connection


# --- input limits -------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Vul je naam in."),
    ("name", "\u200b\u202e ", "Vul je naam in."),
    ("name", "x" * 81, "hoogstens 80 tekens"),
    ("email", "", "Vul je e-mailadres in"),
    ("email", "geen-adres", "Vul een geldig e-mailadres in"),
    ("email", "a@b", "Vul een geldig e-mailadres in"),
    ("url", "javascript:alert(1)", "begint met http:// of https://"),
    ("url", "ftp://example.org/bestand", "begint met http:// of https://"),
    ("url", "data:text/html,<b>x</b>", "begint met http:// of https://"),
    ("url", "https://example.org/" + "x" * 200, "hoogstens 200 tekens"),
    ("body", "", "Schrijf je reactie."),
    ("body", "  \n\u200b\n ", "Schrijf je reactie."),
    ("body", "x" * 5001, "hoogstens 5000 tekens"),
])
def test_input_limits_give_a_dutch_message_and_keep_the_rest(client, field, value, message):
    post = LivePostFactory()
    fields = {"name": "Mies", "email": "mies@example.org", "url": "https://mies.example/",
              "body": "Wat ik wilde zeggen.", field: value}
    typed = human_form(**fields)
    response = client.post(comment_url(post), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Je reactie is nog niet geplaatst" in html
    for other in {"name", "email", "url", "body"} - {field}:
        assert typed[other] in html
    assert not Comment.objects.exists()


def test_a_website_without_scheme_becomes_https(client):
    post = LivePostFactory()
    client.post(comment_url(post), human_form(url="www.example.org"))
    assert Comment.objects.get().url == "https://www.example.org"
