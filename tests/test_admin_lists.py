"""The admin's lists render their rows without per-row template and URL work (core/admin_lists.py):
what an editor sees and uses on a row stays the same — the checkbox for bulk actions, the
change link that brings them back to the same filtered list, the one-click buttons."""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.contrib.admin.utils import quote as admin_quote
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from core.admin_lists import clip, url_maker
from tests.factories import CommentFactory, LivePostFactory, SubmittedPostFactory

COMMENTS = "/beheer/comments/comment/"
POSTS = "/beheer/blog/post/"


def test_url_maker_gives_what_reverse_gives():
    moderate = url_maker("admin:comments_comment_moderate", 2)
    assert moderate(7, "spam") == reverse("admin:comments_comment_moderate", args=[7, "spam"])
    change = url_maker("admin:blog_post_change")
    assert change(1234567) == reverse("admin:blog_post_change", args=[1234567])
    # A key the admin has to quote (a slash, say) is quoted the admin's way.
    user_change = url_maker("admin:accounts_user_change")
    assert user_change("a/b_c") == reverse("admin:accounts_user_change",
                                           args=[admin_quote("a/b_c")])


def test_clip_cuts_like_truncatechars():
    assert clip("kort", 10) == "kort"
    assert clip("precies tien", 12) == "precies tien"
    assert clip("een wat langere zin", 10) == "een wat l…"
    assert len(clip("x" * 200, 90)) == 90


@pytest.mark.django_db
def test_a_filtered_queue_keeps_its_filter_on_each_change_link(editor_client):
    comments = CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    html = editor_client.get(COMMENTS + "?status__exact=pending").content.decode()
    kept = urlencode({"_changelist_filters": "status__exact=pending"})
    for comment in comments:
        assert f'href="{COMMENTS}{comment.pk}/change/?{kept}"' in html
    # Unfiltered, the link is the bare change page.
    html = editor_client.get(COMMENTS).content.decode()
    assert f'href="{COMMENTS}{comments[0].pk}/change/"' in html


@pytest.mark.django_db
def test_each_row_has_its_checkbox_and_bulk_actions_use_it(editor_client):
    held = CommentFactory(status=Comment.Status.PENDING, name="Lezer Twee")
    html = editor_client.get(COMMENTS).content.decode()
    checkbox = re.search(rf'<input type="checkbox" name="_selected_action" value="{held.pk}"'
                         r' class="action-select" aria-label="([^"]+)">', html)
    assert checkbox, "the row's checkbox"
    assert str(held) in checkbox.group(1).replace("&#x27;", "'").replace("&quot;", '"')
    assert 'id="action-toggle"' in html  # "select all" still heads the column
    editor_client.post(COMMENTS, {"action": "approve_selected", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED


@pytest.mark.django_db
def test_one_status_of_the_queue_lists_newest_first(editor_client):
    now = timezone.now()
    older = CommentFactory(status=Comment.Status.PENDING, name="Ouder",
                           created_at=now - timedelta(hours=5))
    newer = CommentFactory(status=Comment.Status.PENDING, name="Nieuwer",
                           created_at=now - timedelta(hours=1))
    CommentFactory(status=Comment.Status.APPROVED, name="Al goedgekeurd")
    html = editor_client.get(COMMENTS + "?status__exact=pending").content.decode()
    assert "Al goedgekeurd" not in html
    assert html.index(f"/{newer.pk}/change/") < html.index(f"/{older.pk}/change/")
    # Unfiltered, the held comments come first, then the rest, newest first.
    html = editor_client.get(COMMENTS).content.decode()
    assert html.index("Nieuwer") < html.index("Ouder") < html.index("Al goedgekeurd")


@pytest.mark.django_db
def test_the_rows_link_to_the_post_the_parent_and_the_address(editor_client):
    post = LivePostFactory(title="Een bericht met een titel die te lang is voor de kolom van de lijst")
    parent = CommentFactory(post=post, status=Comment.Status.APPROVED, name="Eerste")
    reply = CommentFactory(post=post, parent=parent, status=Comment.Status.PENDING,
                           email="lezer@example.org")
    html = editor_client.get(COMMENTS).content.decode()
    assert f'<a href="{reverse("admin:blog_post_change", args=[post.pk])}">' in html
    assert clip(post.title, 50) in html
    assert f'href="{reverse("admin:comments_comment_change", args=[parent.pk])}">Eerste: ' in html
    assert f'href="{COMMENTS}?q={quote(reply.email)}"' in html
    # The change form shows the same links without a list around it.
    form = editor_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))
    assert reverse("admin:blog_post_change", args=[post.pk]) in form.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_a_full_page_of_comments_costs_the_same_queries(n, editor_client,
                                                        django_assert_max_num_queries):
    post = LivePostFactory()
    for i in range(n):
        CommentFactory(post=post, status=Comment.Status.PENDING if i % 2 else "approved",
                       email=f"lezer{i % 7}@example.org")
    with django_assert_max_num_queries(9):
        response = editor_client.get(COMMENTS + "?status__exact=pending")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_filtered_post_list_keeps_its_filter_and_status_words(editor_client, guest):
    waiting = SubmittedPostFactory(author=guest, title="Wacht op de redactie")
    html = editor_client.get(POSTS + "?status=submitted").content.decode()
    kept = urlencode({"_changelist_filters": "status=submitted"})
    assert f'href="{POSTS}{waiting.pk}/change/?{kept}"' in html
    assert "Ingediend" in html
    assert f'name="_selected_action" value="{waiting.pk}"' in html
