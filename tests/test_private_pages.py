"""Personal pages are never stored by a cache and never indexed (core.http.private_page).

A page made for one person (their desk, a preview, an invitation, a link from their e-mail,
their comment sent back with what they typed) must not be kept by nginx, Redis or a
browser shared with someone else, nor turn up in a search engine.
"""

import pytest
from django.urls import reverse

from blog import preview
from comments import moderation
from comments.models import Comment
from tests.comment_helpers import comment_url, human_form
from tests.factories import (
    CommentFactory,
    InvitationFactory,
    LivePostFactory,
    PostFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db


def author_reply_link(make_client, guest):
    comment = CommentFactory(post=LivePostFactory(author=guest))
    token = comment.new_author_token()
    comment.save()
    return make_client().get(reverse("comments:author-reply", args=[token]))


PERSONAL_PAGES = {
    "the profile": lambda make_client, guest: make_client(guest).get(
        reverse("accounts:profile")),
    "the writing desk": lambda make_client, guest: make_client(guest).get(
        reverse("desk:dashboard")),
    "a preview at the desk": lambda make_client, guest: make_client(guest).get(
        reverse("desk:preview", args=[PostFactory(author=guest).pk])),
    "a signed preview link": lambda make_client, guest: make_client().get(
        preview.preview_url(PostFactory(author=guest))),
    "an expired or altered preview link": lambda make_client, guest: make_client().get(
        reverse("preview:post", args=["verzonnen"])),
    "an invitation": lambda make_client, guest: make_client().get(
        InvitationFactory().get_absolute_url()),
    "the newsletter confirmation link": lambda make_client, guest: make_client().get(
        reverse("newsletter:confirm", args=[SubscriberFactory(confirmed_at=None)
                                            .confirm_token])),
    "the newsletter unsubscribe link": lambda make_client, guest: make_client().get(
        reverse("newsletter:unsubscribe", args=[SubscriberFactory().unsubscribe_token])),
    "the reply-mail confirmation link": lambda make_client, guest: make_client().get(
        reverse("comments:confirm", args=[moderation.confirm_token(CommentFactory())])),
    "the reply-mail unsubscribe link": lambda make_client, guest: make_client().get(
        reverse("comments:unsubscribe", args=[moderation.unsubscribe_token(CommentFactory())])),
    "the post author's reply link": author_reply_link,
    "a comment sent back to be corrected": lambda make_client, guest: make_client().post(
        comment_url(LivePostFactory()), human_form(email="geen-adres")),
}


@pytest.mark.parametrize("page", PERSONAL_PAGES)
def test_a_personal_page_is_never_cached_nor_indexed(page, make_client, guest):
    response = PERSONAL_PAGES[page](make_client, guest)
    assert response.status_code in {200, 302, 404}, response.status_code
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert response["X-Robots-Tag"] == "noindex"


def test_a_public_post_page_stays_cacheable(client):
    post = LivePostFactory()
    CommentFactory(post=post, status=Comment.Status.APPROVED)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response
