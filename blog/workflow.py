"""The post workflow: the only code that changes a post's status.

Each move is one atomic function that says what it changes. What every move shares is in
`_step`: it locks the post's row, refuses the wrong actor and the wrong status, and after
the move has saved it writes a PostEvent (who, from, to, note, when, and the history row of
the text at that moment) and queues its e-mails with the step (outbox).

    | from                               | to                | who                 |
    | draft, changes_requested           | submitted         | the author (submit) |
    | submitted                          | draft             | the author          |
    | submitted                          | changes_requested | an editor (note)    |
    | draft, submitted, changes_requested| approved          | an editor           |
    | submitted, changes_requested       | rejected          | an editor (note)    |
    | approved                           | approved          | an editor (new date)|
    | approved                           | draft             | an editor           |
    | rejected                           | draft             | an editor           |

A wrong actor raises PermissionDenied; a wrong state or missing input raises WorkflowError.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from blog.models import Post, PostEvent, Status
from blog.scheduling import next_free_slot
from blog.signals import post_transitioned

logger = logging.getLogger(__name__)

AUTHOR = "author"
EDITOR = "editor"


class WorkflowError(ValidationError):
    """The move is not allowed from the post's current status, or lacks what it needs."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # lazily translated: the button a page shows
    sources: frozenset[str]
    target: str
    who: str
    needs_note: bool = False


def _t(name, label, sources, target, who, needs_note=False):
    return Transition(name, label, frozenset(sources), target, who, needs_note)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", gettext_lazy("Indienen"), {Status.DRAFT, Status.CHANGES_REQUESTED},
           Status.SUBMITTED, AUTHOR),
        _t("withdraw", gettext_lazy("Terugtrekken"), {Status.SUBMITTED}, Status.DRAFT, AUTHOR),
        _t("request_changes", gettext_lazy("Aanpassingen vragen"), {Status.SUBMITTED},
           Status.CHANGES_REQUESTED, EDITOR, needs_note=True),
        _t("approve", gettext_lazy("Goedkeuren en inplannen"),
           {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED}, Status.APPROVED, EDITOR),
        _t("reject", gettext_lazy("Afwijzen"), {Status.SUBMITTED, Status.CHANGES_REQUESTED},
           Status.REJECTED, EDITOR, needs_note=True),
        _t("reschedule", gettext_lazy("Verplaatsen"), {Status.APPROVED}, Status.APPROVED, EDITOR),
        _t("unpublish", gettext_lazy("Terugzetten naar concept"), {Status.APPROVED},
           Status.DRAFT, EDITOR),
        _t("reopen", gettext_lazy("Heropenen"), {Status.REJECTED}, Status.DRAFT, EDITOR),
    ]
}


def may_act(transition: Transition, post: Post, user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if transition.who == EDITOR:
        return user.is_editor
    return post.author_id == user.pk


def allowed_transitions(post: Post, user) -> list[Transition]:
    """Exactly the moves this user may make now: the buttons a page shows."""
    return [
        t for t in TRANSITIONS.values()
        if post.status in t.sources and may_act(t, post, user)
    ]


# --- what every move shares -------------------------------------------------------------------

def _latest_history_id(post: Post) -> int | None:
    return post.history.order_by("-history_id").values_list("history_id", flat=True).first()


@dataclass
class _Step:
    """One move under way: the locked post, the moment, and the fields the move saved."""

    post: Post
    now: datetime
    saved: set[str] = field(default_factory=set)

    def save(self, **changes) -> None:
        for name, value in changes.items():
            setattr(self.post, name, value)
        self.post.save(update_fields=list(changes))
        self.saved |= set(changes)


@contextmanager
def _step(name: str, *, post: Post, actor, note: str = "", notify: bool = True) -> Iterator[_Step]:
    """Lock the post and check actor, status and note; after the move has saved, record it.

    Runs inside the move's transaction (select_for_update refuses to run outside one).
    """
    transition = TRANSITIONS[name]
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if not may_act(transition, locked, actor):
        raise PermissionDenied(_("Je mag deze stap niet zetten voor dit bericht."))
    if locked.status not in transition.sources:
        raise WorkflowError(
            _("“%(action)s” kan niet bij een bericht met status “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()},
            code="wrong_status",
        )
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise WorkflowError(_("Schrijf een toelichting voor de auteur."), code="note_required")
    from_status = locked.status

    step = _Step(post=locked, now=timezone.now())
    yield step

    if locked.status != transition.target:  # the table (the buttons) and the move disagree
        raise AssertionError(f"{name} left the post {locked.status}, not {transition.target}")
    event = PostEvent.objects.create(
        post=locked,
        kind=PostEvent.Kind.TRANSITION,
        actor=actor,
        action=name,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        # A move that set a publication date names it on the timeline and in its mail.
        publish_at=locked.publish_at if "publish_at" in step.saved else None,
        history_id=_latest_history_id(locked),
        created_at=step.now,
    )
    if notify:
        # Inside the step's transaction: the receivers queue their mails in the outbox, so
        # the mails commit with the step, never one without the other. A receiver that
        # fails is logged and its writes undone (a savepoint); the step itself stands.
        try:
            with transaction.atomic():
                post_transitioned.send(sender=Post, event_id=event.pk)
        except Exception:
            logger.exception("workflow: telling about event %s failed", event.pk)
    # The caller's object follows the stored state.
    post.status, post.publish_at = locked.status, locked.publish_at
    post.submitted_at, post.announced_at = locked.submitted_at, locked.announced_at


def _announced_at(post: Post, publish_at: datetime, now: datetime) -> datetime | None:
    """A post (re)scheduled for later is announced again when it goes live, not before."""
    return None if publish_at > now else post.announced_at


# --- the moves ----------------------------------------------------------------------------------

@transaction.atomic
def submit(*, post: Post, actor, notify: bool = True) -> Post:
    """The author hands the post in (also after changes were requested)."""
    with _step("submit", post=post, actor=actor, notify=notify) as step:
        locked = step.post
        if not (locked.title.strip() and (locked.body_markdown.strip() or locked.body_html.strip())):
            raise WorkflowError(
                _("Een bericht heeft een titel en tekst nodig voordat je het indient."),
                code="incomplete",
            )
        step.save(status=Status.SUBMITTED, submitted_at=step.now)
    return step.post


@transaction.atomic
def withdraw(*, post: Post, actor, notify: bool = True) -> Post:
    """The author takes a submitted post back to edit it further."""
    with _step("withdraw", post=post, actor=actor, notify=notify) as step:
        step.save(status=Status.DRAFT)
    return step.post


@transaction.atomic
def request_changes(*, post: Post, actor, note: str, notify: bool = True) -> Post:
    """An editor sends the post back to the author with a note."""
    with _step("request_changes", post=post, actor=actor, note=note, notify=notify) as step:
        step.save(status=Status.CHANGES_REQUESTED, changes_requested_at=step.now)
    return step.post


@transaction.atomic
def approve(
    *, post: Post, actor, publish_at: datetime | None = None, note: str = "", notify: bool = True
) -> Post:
    """Approve and schedule; without `publish_at` the post gets the next free slot."""
    with _step("approve", post=post, actor=actor, note=note, notify=notify) as step:
        when = publish_at or next_free_slot(after=step.now, exclude_pk=step.post.pk)
        step.save(status=Status.APPROVED, publish_at=when,
                  announced_at=_announced_at(step.post, when, step.now))
    return step.post


@transaction.atomic
def reject(*, post: Post, actor, note: str, notify: bool = True) -> Post:
    """An editor turns the post down, with a note; only reopening brings it back."""
    with _step("reject", post=post, actor=actor, note=note, notify=notify) as step:
        step.save(status=Status.REJECTED)
    return step.post


@transaction.atomic
def reschedule(*, post: Post, actor, publish_at: datetime, notify: bool = True) -> Post:
    """An editor moves an approved post to another moment."""
    with _step("reschedule", post=post, actor=actor, notify=notify) as step:
        if publish_at is None:
            raise WorkflowError(_("Kies een nieuw publicatiemoment."), code="date_required")
        step.save(status=Status.APPROVED, publish_at=publish_at,
                  announced_at=_announced_at(step.post, publish_at, step.now))
    return step.post


@transaction.atomic
def unpublish(*, post: Post, actor, note: str = "", notify: bool = True) -> Post:
    """An editor takes an approved post (scheduled or live) back to draft.

    It keeps its date; should it be approved again and go live, go-live announces it anew.
    """
    with _step("unpublish", post=post, actor=actor, note=note, notify=notify) as step:
        step.save(status=Status.DRAFT, announced_at=None)
    return step.post


@transaction.atomic
def reopen(*, post: Post, actor, note: str = "", notify: bool = True) -> Post:
    """An editor gives a rejected post a new chance, as a draft."""
    with _step("reopen", post=post, actor=actor, note=note, notify=notify) as step:
        step.save(status=Status.DRAFT)
    return step.post


@transaction.atomic
def restore_imported(*, post: Post, status: str, publish_at: datetime | None, note: str = "") -> Post:
    """Give a post brought in from elsewhere (a WordPress import) the status it had there.

    There is no actor: this is the system recording a fact, written to the timeline as an
    import, never a way around the rules for people.
    """
    if status not in Status.values:
        raise WorkflowError(_("Onbekende status: %(status)s") % {"status": status})
    if status == Status.APPROVED and publish_at is None:
        raise WorkflowError(_("Een goedgekeurd bericht heeft een publicatiemoment nodig."))
    locked = Post.objects.select_for_update().get(pk=post.pk)
    from_status = locked.status
    locked.status = status
    locked.publish_at = publish_at
    if status == Status.APPROVED and publish_at <= timezone.now():
        # Published long ago elsewhere: nothing to announce at go-live.
        locked.announced_at = publish_at
    if status == Status.SUBMITTED and locked.submitted_at is None:
        locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "publish_at", "announced_at", "submitted_at"])
    PostEvent.objects.create(
        post=locked,
        kind=PostEvent.Kind.IMPORT,
        action="import",
        from_status=from_status,
        to_status=status,
        note=note,
        publish_at=publish_at,
        history_id=_latest_history_id(locked),
    )
    post.status, post.publish_at, post.announced_at = status, publish_at, locked.announced_at
    post.submitted_at = locked.submitted_at
    return locked


def restore_imported_many(entries: list[tuple[Post, str, datetime | None, str]]) -> list[Post]:
    """`restore_imported` for many new posts at once: (unsaved post, status, publish_at, note).

    The posts must have their text rendered (`Post.render_text`). One INSERT for the posts,
    one for their first revision and one for their "import" events, so a large WordPress
    import does not pay a round trip per post. The caller holds the transaction.
    """
    now = timezone.now()
    for post, status, publish_at, _note in entries:
        if post.pk is not None:
            raise WorkflowError(_("Alleen nieuwe berichten worden zo geïmporteerd."))
        if status not in Status.values:
            raise WorkflowError(_("Onbekende status: %(status)s") % {"status": status})
        if status == Status.APPROVED and publish_at is None:
            raise WorkflowError(_("Een goedgekeurd bericht heeft een publicatiemoment nodig."))
        post.status = status
        post.publish_at = publish_at
        if status == Status.APPROVED and publish_at <= now:
            post.announced_at = publish_at  # published long ago elsewhere: nothing to announce
        if status == Status.SUBMITTED and post.submitted_at is None:
            post.submitted_at = now
    posts = bulk_create_with_history([entry[0] for entry in entries], Post, default_date=now)
    history = dict(
        Post.history.filter(id__in=[post.pk for post in posts]).values_list("id", "history_id")
    )
    PostEvent.objects.bulk_create([
        PostEvent(post=post, kind=PostEvent.Kind.IMPORT, action="import",
                  from_status=Status.DRAFT, to_status=status, note=note, publish_at=publish_at,
                  history_id=history.get(post.pk), created_at=now)
        for post, (_post, status, publish_at, note) in zip(posts, entries, strict=True)
    ])
    return posts

