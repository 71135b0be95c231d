import re

import pytest
import time_machine
from django.urls import reverse
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


def _since_review(html, heading):
    """The words marked as new in the diff under the page's "since the last review" heading."""
    start = html.index('<div class="diff"', html.index(heading))
    return re.findall(r"<ins>([^<]*)</ins>", html[start:html.index("</div>", start)])


@pytest.mark.django_db
def test_the_second_round_counts_from_the_editors_second_request(guest, editor, make_client):
    # The admin used to count from the review before the latest submission, the desk from the
    # latest review: in a second round of changes the editor saw the first round again.
    post = PostFactory(author=guest, body_markdown="Vrijwilligers zijn belangrijk.")
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Geef een voorbeeld uit de wijk.")
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"body_markdown": "Vrijwilligers zijn belangrijk, zoals in Lombok."})
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Noem ook een cijfer.")
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version, fields={
        "body_markdown": "Vrijwilligers zijn belangrijk, zoals in Lombok. Daar helpen 40 buren."})

    admin = make_client(editor).get(reverse("admin:blog_post_change", args=[post.pk]))
    desk = make_client(guest).get(reverse("desk:history", kwargs={"pk": post.pk}))

    editor_sees = _since_review(admin.content.decode(),
                                "Wat is er veranderd sinds je laatste beoordeling")
    guest_sees = _since_review(desk.content.decode(),
                               "Sinds de laatste beoordeling door de redactie")
    assert "".join(editor_sees).strip() == "Daar helpen 40 buren."
    assert editor_sees == guest_sees


@pytest.mark.django_db
def test_an_edit_by_the_editor_is_not_a_review(guest, editor, make_client):
    post = PostFactory(author=guest, body_markdown="De kat zit op de mat.")
    workflow.submit(post=post, actor=guest)
    workflow.request_changes(post=post, actor=editor, note="Een ander dier misschien?")
    post.refresh_from_db()
    editing.save_post(post=post, actor=editor, expected_version=post.version,
                      fields={"title": "Over de kat"})
    post.refresh_from_db()
    editing.save_post(post=post, actor=guest, expected_version=post.version,
                      fields={"body_markdown": "De hond zit op de mat."})

    html = make_client(guest).get(reverse("desk:history", kwargs={"pk": post.pk})).content
    new_words = _since_review(html.decode(), "Sinds de laatste beoordeling door de redactie")
    assert "hond" in new_words  # the author's change since the request
    assert "kat" in new_words  # and the editor's own edit after it, in the title
