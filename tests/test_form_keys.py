"""Forms on shared pages (core/formkeys.py): the reader's keys (CSRF token, form timestamp)
are fetched by script, and without it the form comes back filled in, never lost."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from comments.models import Comment
from newsletter.models import Subscriber
from tests.comment_helpers import comment_url
from tests.factories import PASSWORD, GuestFactory, LivePostFactory

pytestmark = pytest.mark.django_db


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_the_keys_are_this_readers_own_and_never_cached():
    reader = Client(enforce_csrf_checks=True)
    seen = reader.get("/formulier/sleutels/")  # the form came into view: its timestamp only
    assert set(seen.json()) == {"form_started"} and not seen.cookies
    assert "no-store" in seen["Cache-Control"] and "private" in seen["Cache-Control"]
    response = reader.get("/formulier/sleutels/?csrf=1")  # the form is sent: the token too
    keys = response.json()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "csrftoken" in response.cookies  # from now on this browser has a CSRF cookie
    started = signing.loads(keys["form_started"], salt="welzijn.antispam.form-timestamp")
    assert abs(started["t"] - time.time()) < 5 and started["n"]  # when, and a single-use nonce
    again = reader.get("/formulier/sleutels/?csrf=1").json()
    assert again["csrfmiddlewaretoken"] != keys["csrfmiddlewaretoken"]  # masked afresh
    assert Client().post("/formulier/sleutels/").status_code == 405


def test_with_the_fetched_keys_a_comment_is_placed(settings):
    """What formkeys.js does: fetch the keys, fill them in, post."""
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory()
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(post.get_absolute_url()).content.decode()
    assert hidden(page, "csrfmiddlewaretoken") == "" and hidden(page, "form_started") == ""
    keys = reader.get("/formulier/sleutels/?csrf=1").json()
    response = reader.post(comment_url(post), {
        "name": "Fatima", "email": "fatima@example.org", "body": "Herkenbaar!",
        "website_confirm": "", **keys,
    })
    assert response.status_code == 302
    assert Comment.objects.get().body == "Herkenbaar!"


def test_without_javascript_the_comment_comes_back_filled_in_and_then_goes(settings):
    settings.COMMENT_MIN_SECONDS = 0
    post = LivePostFactory()
    reader = Client(enforce_csrf_checks=True)  # a browser: no token, no CSRF cookie yet
    typed = {"name": "Fatima", "email": "fatima@example.org", "url": "",
             "body": "Een lange reactie die ik niet kwijt wil.", "website_confirm": "",
             "form_started": "", "csrfmiddlewaretoken": ""}

    back = reader.post(comment_url(post), typed)

    assert back.status_code == 200 and not Comment.objects.exists()
    html = back.content.decode()
    assert "Je reactie is nog niet geplaatst" in html
    assert "Een lange reactie die ik niet kwijt wil." in html and 'value="Fatima"' in html
    assert "private" in back["Cache-Control"] and "no-store" in back["Cache-Control"]
    token, started = hidden(html, "csrfmiddlewaretoken"), hidden(html, "form_started")
    assert token and started  # the keys are in the form now

    sent = reader.post(comment_url(post), {**typed, "csrfmiddlewaretoken": token,
                                           "form_started": started})
    assert sent.status_code == 302
    assert Comment.objects.get().body == "Een lange reactie die ik niet kwijt wil."


def test_without_javascript_the_sign_up_comes_back_filled_in_and_then_goes(
        settings, django_capture_on_commit_callbacks):
    settings.COMMENT_MIN_SECONDS = 0
    reader = Client(enforce_csrf_checks=True)
    typed = {"email": "lezer@example.org", "name": "Marieke", "website_confirm": "",
             "form_started": ""}

    back = reader.post("/nieuwsbrief/", typed)

    assert back.status_code == 200 and not Subscriber.objects.exists()
    html = back.content.decode()
    assert "Je bent nog niet aangemeld" in html
    assert 'value="lezer@example.org"' in html and 'value="Marieke"' in html
    with django_capture_on_commit_callbacks(execute=True):  # the sign-up is a task (issue 12)
        sent = reader.post("/nieuwsbrief/", {
            **typed, "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
            "form_started": hidden(html, "form_started")})
    assert sent.status_code == 302
    assert Subscriber.objects.get().email == "lezer@example.org"


def test_a_forged_cross_site_post_stores_nothing():
    post = LivePostFactory()
    forger = Client(enforce_csrf_checks=True)
    forger.cookies["csrftoken"] = "a" * 32  # a cookie, but no matching token in the form
    response = forger.post(comment_url(post), {"name": "X", "email": "x@example.org",
                                               "body": "Klik hier", "form_started": ""})
    assert response.status_code == 200 and not Comment.objects.exists()


def test_a_logged_in_reader_gets_a_filled_in_form_and_nobody_else_gets_it(client):
    post = LivePostFactory()
    reader = GuestFactory(first_name="Ilse", last_name="Dekker")
    anonymous = client.get(post.get_absolute_url()).content.decode()
    logged_in = Client()
    assert logged_in.login(username=reader.username, password=PASSWORD)
    theirs = logged_in.get(post.get_absolute_url()).content.decode()
    assert reader.email in theirs and hidden(theirs, "csrfmiddlewaretoken")
    again = Client().get(post.get_absolute_url()).content.decode()
    for html in (anonymous, again):
        assert reader.email not in html and hidden(html, "csrfmiddlewaretoken") == ""


def test_each_post_keeps_its_own_blank_comment_form(client):
    """On a shared page the blank comment form is made once per post (core.formkeys.
    render_shared_once): each post's form still posts to that post, with empty keys, and a
    signed-in reader's own form is never one of those."""
    first, second = LivePostFactory(), LivePostFactory()

    def comment_form(html):
        return html[html.index('<form method="post" action="/reacties/'):]

    for post in (first, second, first, second):
        form = comment_form(Client().get(post.get_absolute_url()).content.decode())
        assert form.startswith(f'<form method="post" action="{comment_url(post)}#reageer"')
        assert hidden(form, "csrfmiddlewaretoken") == "" and hidden(form, "form_started") == ""
        assert f'href="{post.get_absolute_url()}#reageer"' in form  # "toch een nieuwe reactie"
    reader = GuestFactory()
    assert client.login(username=reader.username, password=PASSWORD)
    form = comment_form(client.get(first.get_absolute_url()).content.decode())
    assert hidden(form, "csrfmiddlewaretoken") and hidden(form, "form_started")
    assert f'value="{reader.email}"' in form
