"""Optimistic locking: a save over a newer version is refused and loses nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from blog import editing, workflow
from blog.models import PostEvent
from tests.factories import PostFactory


@pytest.mark.django_db
def test_second_of_two_concurrent_saves_is_refused(guest, editor):
    post = PostFactory(author=guest, status="submitted")
    loaded_by_guest = post.version
    loaded_by_editor = post.version
    editing.save_post(post=post, actor=editor, expected_version=loaded_by_editor,
                      fields={"body_markdown": "Tekst van de redactie."})
    with pytest.raises(editing.EditConflict) as exc:
        editing.save_post(post=post, actor=editor, expected_version=loaded_by_guest,
                          fields={"body_markdown": "Tweede poging."})
    assert exc.value.current.body_markdown == "Tekst van de redactie."
    post.refresh_from_db()
    assert post.body_markdown == "Tekst van de redactie." and post.version == 2


@pytest.mark.django_db
def test_author_cannot_edit_once_submitted(guest):
    post = PostFactory(author=guest)
    workflow.submit(post=post, actor=guest)
    with pytest.raises(workflow.WorkflowError):
        editing.save_post(post=post, actor=guest, expected_version=post.version,
                          fields={"title": "Stiekem"})
    post.refresh_from_db()
    assert post.title != "Stiekem" and post.version == 1


@pytest.mark.django_db
def test_stranger_cannot_edit(guest, other_guest):
    post = PostFactory(author=guest)
    with pytest.raises(PermissionDenied):
        editing.save_post(post=post, actor=other_guest, expected_version=1,
                          fields={"title": "Van mij"})


@pytest.mark.django_db
def test_editor_edit_is_on_the_timeline_and_keeps_status(guest, editor):
    post = PostFactory(author=guest, status="submitted")
    saved = editing.save_post(post=post, actor=editor, expected_version=1,
                              fields={"intro": "Deze gast schrijft over **trend 8**."},
                              tags=["social media"])
    assert saved.status == "submitted"
    assert "<strong>trend 8</strong>" in saved.intro_html
    assert list(saved.tags.names()) == ["social media"]
    assert post.events.get().kind == PostEvent.Kind.EDIT


@pytest.mark.django_db
def test_only_content_fields_can_be_saved(guest):
    post = PostFactory(author=guest)
    with pytest.raises(ValueError):
        editing.save_post(post=post, actor=guest, expected_version=1,
                          fields={"status": "approved"})


@pytest.mark.django_db
def test_a_workflow_step_does_not_render_the_text_again(guest, monkeypatch):
    from core import content

    post = PostFactory(author=guest)
    calls = []
    monkeypatch.setattr(content, "render_markdown", lambda text: calls.append(text) or "")
    workflow.submit(post=post, actor=guest)
    assert calls == []
    post.refresh_from_db()
    assert "<strong>nadruk</strong>" in post.body_html
