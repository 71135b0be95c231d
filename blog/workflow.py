"""The post workflow: the only code that changes a post's status.

Each transition is one atomic function. It locks the post, checks the actor's right and
the current status, changes the status, writes a PostEvent (who, from, to, note, when, and
the history row of the text at that moment) and sends its e-mails after the commit.

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

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post, PostEvent, Status
from blog.scheduling import next_free_slot
from blog.signals import post_transitioned

AUTHOR = "author"
EDITOR = "editor"


class WorkflowError(ValidationError):
    """The move is not allowed from the post's current status, or lacks what it needs."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    who: str
    needs_note: bool = False


def _t(name, label, sources, target, who, needs_note=False):
    return Transition(name, label, frozenset(sources), target, who, needs_note)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "Indienen", {Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED, AUTHOR),
        _t("withdraw", "Terugtrekken", {Status.SUBMITTED}, Status.DRAFT, AUTHOR),
        _t("request_changes", "Aanpassingen vragen", {Status.SUBMITTED},
           Status.CHANGES_REQUESTED, EDITOR, needs_note=True),
        _t("approve", "Goedkeuren en inplannen",
           {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED}, Status.APPROVED, EDITOR),
        _t("reject", "Afwijzen", {Status.SUBMITTED, Status.CHANGES_REQUESTED},
           Status.REJECTED, EDITOR, needs_note=True),
        _t("reschedule", "Verplaatsen", {Status.APPROVED}, Status.APPROVED, EDITOR),
        _t("unpublish", "Terugzetten naar concept", {Status.APPROVED}, Status.DRAFT, EDITOR),
        _t("reopen", "Heropenen", {Status.REJECTED}, Status.DRAFT, EDITOR),
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


def _latest_history_id(post: Post) -> int | None:
    record = post.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return record


@transaction.atomic
def _move(
    name: str,
    *,
    post: Post,
    actor,
    note: str = "",
    publish_at: datetime | None = None,
    notify: bool = True,
) -> Post:
    transition = TRANSITIONS[name]
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if not may_act(transition, locked, actor):
        raise PermissionDenied(_("Je mag deze stap niet zetten voor dit bericht."))
    if locked.status not in transition.sources:
        raise WorkflowError(
            _("“%(action)s” kan niet bij een bericht met status “%(status)s”.")
            % {"action": _(transition.label), "status": locked.get_status_display()},
            code="wrong_status",
        )
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise WorkflowError(_("Schrijf een toelichting voor de auteur."), code="note_required")
    if name == "submit" and not (locked.title.strip() and (
        locked.body_markdown.strip() or locked.body_html.strip()
    )):
        raise WorkflowError(
            _("Een bericht heeft een titel en tekst nodig voordat je het indient."),
            code="incomplete",
        )

    from_status = locked.status
    now = timezone.now()
    fields = ["status"]
    locked.status = transition.target
    if name == "submit":
        locked.submitted_at = now
        fields.append("submitted_at")
    if name in {"approve", "reschedule"}:
        if name == "reschedule" and publish_at is None:
            raise WorkflowError(_("Kies een nieuw publicatiemoment."), code="date_required")
        locked.publish_at = publish_at or next_free_slot(after=now, exclude_pk=locked.pk)
        locked.announced_at = None if locked.publish_at > now else locked.announced_at
        fields += ["publish_at", "announced_at"]
    if name == "unpublish":
        locked.announced_at = None
        fields.append("announced_at")
    locked.save(update_fields=fields)

    event = PostEvent.objects.create(
        post=locked,
        kind=PostEvent.Kind.TRANSITION,
        actor=actor,
        action=name,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        publish_at=locked.publish_at if name in {"approve", "reschedule"} else None,
        history_id=_latest_history_id(locked),
        created_at=now,
    )
    if notify:
        # robust: the step has happened; a mail server that is down is logged, and the
        # editor's or author's page does not turn into an error for it.
        transaction.on_commit(
            lambda: post_transitioned.send_robust(sender=Post, event_id=event.pk), robust=True
        )
    # The caller's object follows the stored state.
    post.status, post.publish_at = locked.status, locked.publish_at
    post.submitted_at, post.announced_at = locked.submitted_at, locked.announced_at
    return locked


def submit(*, post: Post, actor, notify: bool = True) -> Post:
    """The author hands the post in (also after changes were requested)."""
    return _move("submit", post=post, actor=actor, notify=notify)


def withdraw(*, post: Post, actor, notify: bool = True) -> Post:
    return _move("withdraw", post=post, actor=actor, notify=notify)


def request_changes(*, post: Post, actor, note: str, notify: bool = True) -> Post:
    return _move("request_changes", post=post, actor=actor, note=note, notify=notify)


def approve(
    *, post: Post, actor, publish_at: datetime | None = None, note: str = "", notify: bool = True
) -> Post:
    """Approve and schedule; without `publish_at` the post gets the next free slot."""
    return _move("approve", post=post, actor=actor, publish_at=publish_at, note=note,
                 notify=notify)


def reject(*, post: Post, actor, note: str, notify: bool = True) -> Post:
    return _move("reject", post=post, actor=actor, note=note, notify=notify)


def reschedule(*, post: Post, actor, publish_at: datetime, notify: bool = True) -> Post:
    return _move("reschedule", post=post, actor=actor, publish_at=publish_at, notify=notify)


def unpublish(*, post: Post, actor, note: str = "", notify: bool = True) -> Post:
    return _move("unpublish", post=post, actor=actor, note=note, notify=notify)


def reopen(*, post: Post, actor, note: str = "", notify: bool = True) -> Post:
    return _move("reopen", post=post, actor=actor, note=note, notify=notify)


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
