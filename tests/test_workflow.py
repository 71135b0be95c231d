"""The workflow table of DESIGN.md, move by move: who may, from where, and what it sends."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from blog import workflow
from blog.models import Post, PostEvent, Status
from tests.factories import EditorFactory, GuestFactory, PostFactory

AMS = ZoneInfo("Europe/Amsterdam")
ALL = list(Status.values)

# (function, statuses it may start from, target, actor role, kwargs)
MOVES = [
    ("submit", {"draft", "changes_requested"}, "submitted", "author", {}),
    ("withdraw", {"submitted"}, "draft", "author", {}),
    ("request_changes", {"submitted"}, "changes_requested", "editor", {"note": "Korter graag."}),
    ("approve", {"draft", "submitted", "changes_requested"}, "approved", "editor", {}),
    ("reject", {"submitted", "changes_requested"}, "rejected", "editor", {"note": "Past niet."}),
    ("reschedule", {"approved"}, "approved", "editor", {"publish_at": "future"}),
    ("unpublish", {"approved"}, "draft", "editor", {}),
    ("reopen", {"rejected"}, "draft", "editor", {}),
]


def _kwargs(kwargs):
    out = dict(kwargs)
    if out.get("publish_at") == "future":
        out["publish_at"] = timezone.now() + timedelta(days=10)
    return out


def _post_in(status, author):
    publish_at = timezone.now() + timedelta(days=2) if status == "approved" else None
    return PostFactory(author=author, status=status, publish_at=publish_at)


@pytest.mark.django_db
@pytest.mark.parametrize("name,sources,target,role,kwargs", MOVES, ids=[m[0] for m in MOVES])
@pytest.mark.parametrize("status", ALL)
def test_each_move_from_each_status(name, sources, target, role, kwargs, status):
    author = GuestFactory()
    editor = EditorFactory()
    post = _post_in(status, author)
    actor = author if role == "author" else editor
    move = getattr(workflow, name)
    if status in sources:
        move(post=post, actor=actor, **_kwargs(kwargs))
        post.refresh_from_db()
        assert post.status == target
        event = post.events.get()
        assert (event.from_status, event.to_status, event.actor) == (status, target, actor)
        assert event.note == kwargs.get("note", "")
        assert event.history_id is not None
    else:
        with pytest.raises(workflow.WorkflowError):
            move(post=post, actor=actor, **_kwargs(kwargs))
        post.refresh_from_db()
        assert post.status == status
        assert not post.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name,sources,target,role,kwargs", MOVES, ids=[m[0] for m in MOVES])
def test_wrong_actor_is_refused(name, sources, target, role, kwargs):
    author, stranger, editor = GuestFactory(), GuestFactory(), EditorFactory()
    post = _post_in(sorted(sources)[0], author)
    wrong = [stranger] + ([author] if role == "editor" else [])
    for actor in wrong:
        with pytest.raises(PermissionDenied):
            getattr(workflow, name)(post=post, actor=actor, **_kwargs(kwargs))
    post.refresh_from_db()
    assert post.status == sorted(sources)[0]
    if role == "author":  # an editor is not the author: authors' moves are theirs alone
        with pytest.raises(PermissionDenied):
            getattr(workflow, name)(post=post, actor=editor, **_kwargs(kwargs))


@pytest.mark.django_db
def test_inactive_editor_is_refused(guest):
    post = _post_in("submitted", guest)
    editor = EditorFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        workflow.approve(post=post, actor=editor)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "reject"])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_note_is_required(name, note, guest, editor):
    post = _post_in("submitted", guest)
    with pytest.raises(workflow.WorkflowError):
        getattr(workflow, name)(post=post, actor=editor, note=note)


@pytest.mark.django_db
def test_submit_needs_title_and_body(guest):
    post = PostFactory(author=guest, body_markdown="  ")
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(post=post, actor=guest)
    post.refresh_from_db()
    assert post.status == Status.DRAFT and post.submitted_at is None


@pytest.mark.django_db
def test_approve_without_date_takes_next_free_weekday_slot(guest, editor, settings):
    settings.PUBLISH_SLOT_WEEKDAYS = [0, 1, 2, 3, 4]
    # Friday 2026-11-27 09:00 local: the 07:00 slot today is gone, Monday is next.
    now = datetime(2026, 11, 27, 9, 0, tzinfo=AMS)
    taken = PostFactory(author=guest, status="approved",
                        publish_at=datetime(2026, 11, 30, 7, 0, tzinfo=AMS))
    assert taken.pk
    post = _post_in("submitted", guest)
    import time_machine

    with time_machine.travel(now, tick=False):
        workflow.approve(post=post, actor=editor)
    post.refresh_from_db()
    assert timezone.localtime(post.publish_at) == datetime(2026, 12, 1, 7, 0, tzinfo=AMS)


@pytest.mark.django_db
def test_approved_post_is_live_only_from_publish_at(guest, editor):
    post = _post_in("submitted", guest)
    when = timezone.now() + timedelta(hours=1)
    workflow.approve(post=post, actor=editor, publish_at=when)
    assert not Post.objects.live().filter(pk=post.pk).exists()
    assert Post.objects.live(now=when).filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_reschedule_needs_a_date(guest, editor):
    post = _post_in("approved", guest)
    with pytest.raises(workflow.WorkflowError):
        workflow.reschedule(post=post, actor=editor, publish_at=None)


@pytest.mark.django_db
def test_allowed_transitions_are_the_buttons(guest, other_guest, editor):
    post = _post_in("submitted", guest)
    names = lambda user: {t.name for t in workflow.allowed_transitions(post, user)}  # noqa: E731
    assert names(guest) == {"withdraw"}
    assert names(other_guest) == set()
    assert names(editor) == {"request_changes", "approve", "reject"}


# --- e-mails, sent after commit --------------------------------------------------------

@pytest.mark.django_db
def test_submit_mails_the_editors(guest, editor, mailoutbox, django_capture_on_commit_callbacks):
    post = _post_in("draft", guest)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(post=post, actor=guest)
    assert [m.to for m in mailoutbox] == [[editor.email]]
    mail = mailoutbox[0]
    assert post.title in mail.subject
    assert f"https://welzijn.test/beheer/blog/post/{post.pk}/change/" in mail.body
    assert mail.alternatives and mail.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_changes_requested_quotes_the_note_in_full(guest, editor, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    post = _post_in("submitted", guest)
    note = "Kun je de tweede alinea inkorten?\n\nEn een bron noemen bij het cijfer van 95%."
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(post=post, actor=editor, note=note)
    (mail,) = mailoutbox
    assert mail.to == [guest.email]
    assert note in mail.body
    assert "95%" in mail.alternatives[0][0]
    assert f"https://welzijn.test/schrijven/{post.pk}/" in mail.body


@pytest.mark.django_db
def test_approval_mail_says_when_it_goes_live(guest, editor, mailoutbox,
                                              django_capture_on_commit_callbacks):
    post = _post_in("submitted", guest)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(post=post, actor=editor,
                         publish_at=datetime(2030, 12, 14, 7, 0, tzinfo=AMS))
    (mail,) = mailoutbox
    assert "14 december 2030 om 07:00" in mail.body


@pytest.mark.django_db
def test_rejection_mail_carries_the_note(guest, editor, mailoutbox,
                                         django_capture_on_commit_callbacks):
    post = _post_in("submitted", guest)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(post=post, actor=editor, note="Dit onderwerp hadden we al.")
    (mail,) = mailoutbox
    assert mail.to == [guest.email] and "Dit onderwerp hadden we al." in mail.body


@pytest.mark.django_db
def test_no_mail_when_the_transaction_rolls_back(guest, editor, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    from django.db import transaction

    post = _post_in("submitted", guest)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                workflow.reject(post=post, actor=editor, note="Nee.")
                raise RuntimeError("boom")
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED
    assert mailoutbox == []
    assert not PostEvent.objects.exists()


@pytest.mark.django_db
def test_restore_imported_records_an_import_event(guest):
    post = PostFactory(author=guest)
    when = timezone.now() - timedelta(days=400)
    workflow.restore_imported(post=post, status="approved", publish_at=when)
    post.refresh_from_db()
    assert post.is_live and post.announced_at == when
    assert post.events.get().kind == PostEvent.Kind.IMPORT


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_undo_or_break_the_step(
    guest, editor, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.test_workflow.BrokenBackend"
    post = _post_in("draft", guest)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(post=post, actor=guest)
    post.refresh_from_db()
    assert post.status == Status.SUBMITTED
    assert "SMTP is down" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP is down")
