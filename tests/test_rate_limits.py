"""One rate limit on every public form (core.ratelimit): the same 429 everywhere.

Each endpoint that counts attempts per client address answers the attempt over the limit
with status 429 and a `Retry-After` that tells the truth: the seconds until the current
window ends, after which the next attempt goes through. Forms whose text would be lost
(a comment, a newsletter sign-up) come back filled in.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from comments.models import Comment
from core.antispam import make_form_timestamp
from newsletter.models import Subscriber
from tests.comment_helpers import comment_url, element_html, human_form
from tests.factories import LivePostFactory

pytestmark = pytest.mark.django_db

# 12:15:20: 40 s before the end of its minute, 2680 s before the end of its hour.
START = datetime(2030, 1, 7, 12, 15, 20, tzinfo=UTC)
LEFT = {"m": (60, 40), "h": (3600, 2680)}


@dataclass
class Endpoint:
    url: str
    data: dict
    allowed_status: int  # the answer to an attempt under the limit


def human() -> dict:
    """The spam defences as a person's browser fills them in (the form loaded a minute ago)."""
    return {"website_confirm": "", "form_started": make_form_timestamp(time.time() - 60)}


ENDPOINTS = {
    "login": lambda: Endpoint(
        reverse("accounts:login"), {"username": "iemand", "password": "fout"}, 200),
    "password reset": lambda: Endpoint(
        reverse("accounts:password_reset"), {"email": "iemand@example.org"}, 302),
    "pitch": lambda: Endpoint(reverse("join:pitch"), {
        "name": "Fatima El Amrani", "email": "fatima@example.org", "trend": "",
        "topic": "Buurtsportcoaches", "pitch": "Sport doorbreekt eenzaamheid.", **human(),
    }, 302),
    "comment": lambda: Endpoint(comment_url(LivePostFactory()), human_form(), 302),
    "newsletter sign-up": lambda: Endpoint(
        reverse("newsletter:subscribe"), {"email": "lezer@example.org", **human()}, 302),
}


def over_the_limit(client, name: str, data: dict | None = None):
    """Two attempts go through under a limit of two; the third is the one refused.

    Call it inside the frozen clock, so the forms' signed timestamps look human.
    """
    endpoint = ENDPOINTS[name]()
    for _ in range(2):
        assert client.post(endpoint.url, endpoint.data).status_code == endpoint.allowed_status
    return endpoint, client.post(endpoint.url, data or endpoint.data)


@pytest.mark.parametrize("unit", LEFT)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_over_the_limit_is_a_429_with_an_honest_retry_after(client, settings, name, unit):
    window, left = LEFT[unit]
    for setting in ("LOGIN_RATE_LIMIT", "PITCH_RATE_LIMIT", "COMMENT_RATE_LIMIT",
                    "NEWSLETTER_RATE_LIMIT"):
        setattr(settings, setting, f"2/{unit}")
    with time_machine.travel(START, tick=False):
        endpoint, response = over_the_limit(client, name)
    assert response.status_code == 429
    retry_after = response["Retry-After"]
    assert retry_after.isdigit() and 0 < int(retry_after) <= window
    assert int(retry_after) == left  # the seconds until this window ends, not a whole one
    assert "no-store" in response["Cache-Control"]  # the answer is for this client only
    assert "<html" in response.content.decode()  # a page, not a bare status line

    with time_machine.travel(START.timestamp() + int(retry_after), tick=False):
        again = client.post(endpoint.url, {**endpoint.data, **human()})
    assert again.status_code == endpoint.allowed_status  # waiting that long is enough


@pytest.mark.parametrize("name, what", [
    ("login", "inlogpogingen"),
    ("password reset", "aanvragen voor een nieuw wachtwoord"),
    ("pitch", "voorstellen"),
])
def test_the_shared_429_page_says_in_dutch_what_and_how_long(client, settings, name, what):
    settings.LOGIN_RATE_LIMIT = settings.PITCH_RATE_LIMIT = "2/m"
    with time_machine.travel(START, tick=False):
        _endpoint, response = over_the_limit(client, name)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Even geduld" in html and f"te veel {what}" in html
    assert "Probeer het over 40 seconden opnieuw" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_refused_comment_comes_back_with_everything_typed(client, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    with time_machine.travel(START, tick=False):
        typed = human_form(name="Trees de Vries", email="trees@example.org",
                           url="https://trees.example", body="Dit wil ik niet kwijt.")
        _endpoint, response = over_the_limit(client, "comment", typed)
    assert response.status_code == 429
    form = element_html(response.content.decode(), "reageer")
    assert "te veel reacties geplaatst" in form
    for value in ('value="Trees de Vries"', 'value="trees@example.org"',
                  'value="https://trees.example"', "Dit wil ik niet kwijt."):
        assert value in form, value
    assert not Comment.objects.filter(name="Trees de Vries").exists()


def test_a_refused_newsletter_sign_up_comes_back_with_the_address_filled_in(client, settings):
    settings.NEWSLETTER_RATE_LIMIT = "2/m"
    with time_machine.travel(START, tick=False):
        typed = {"email": "trees@example.org", "name": "Trees", "website_confirm": "",
                 "form_started": make_form_timestamp(time.time() - 60)}
        _endpoint, response = over_the_limit(client, "newsletter sign-up", typed)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Wacht een minuut" in html
    assert 'value="trees@example.org"' in html and 'value="Trees"' in html
    assert not Subscriber.objects.filter(email="trees@example.org").exists()
