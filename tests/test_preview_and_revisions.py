import pytest
import time_machine
from django.utils import timezone

from blog import editing, preview, revisions, workflow
from tests.factories import PostFactory


@pytest.mark.django_db
def test_preview_token_dies_when_the_text_changes(guest):
    post = PostFactory(author=guest)
    token = preview.make_token(post)
    assert preview.post_for_token(token) == post
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"title": "Nieuwe titel"})
    assert preview.post_for_token(token) is None


@pytest.mark.django_db
def test_preview_token_expires(guest, settings):
    post = PostFactory(author=guest)
    token = preview.make_token(post)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 5)):
        assert preview.post_for_token(token) is None


@pytest.mark.django_db
def test_tampered_token_is_refused(guest):
    post = PostFactory(author=guest)
    assert preview.post_for_token(preview.make_token(post) + "x") is None


def test_word_diff_marks_insertions_and_deletions():
    segments = revisions.word_diff("De kat zit op de mat.", "De hond zit op de mat.")
    kinds = [(s.kind, s.text) for s in segments if s.kind != "equal"]
    assert kinds == [("delete", "kat"), ("insert", "hond")]
    assert revisions.has_changes(segments)
    assert not revisions.has_changes(revisions.word_diff("a b", "a b"))


@pytest.mark.django_db
def test_diff_since_submission_and_since_review(guest, editor):
    post = PostFactory(author=guest, body_markdown="Eerste versie.")
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Meer voorbeelden graag.")
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"body_markdown": "Eerste versie, met voorbeelden."})
    post.refresh_from_db()
    reviewed = revisions.reviewed_version(post)
    diff = revisions.diff_since(reviewed, post)
    assert [s.text for s in diff if s.kind == "insert"] == [" versie, met voorbeelden."] or \
        any("voorbeelden" in s.text for s in diff if s.kind == "insert")
    assert revisions.submitted_version(post).body_markdown == "Eerste versie."
