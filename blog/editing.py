"""Saving a post's text, safely against a colleague's newer save (optimistic locking).

Every edit form carries the `version` it was loaded with. Saving bumps the version with a
conditional UPDATE (atomic on SQLite and PostgreSQL alike); when someone else saved in the
meantime nothing is written and EditConflict carries the stored post, so the page can show
both texts and neither person's words are lost. Status is never written here.

Revisions are django-simple-history rows, one per save. The desk's autosave passes a
`revision_session` (one per open editor): its saves keep updating that session's own row
while it is the newest, so a morning of typing is one revision, not one per keystroke.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post, PostEvent, Status
from blog.workflow import WorkflowError

MAX_BODY = 100_000  # characters of Markdown in one post

CONTENT_FIELDS = {
    "title", "slug", "intro", "body_markdown", "body_html", "excerpt", "featured_image",
    "featured_image_alt", "trend", "series", "series_position", "allow_comments",
}


AUTOSAVE_REASON = "autosave:"  # + the editor session's id, in history_change_reason


class EditConflict(Exception):
    """Someone saved a newer version; `current` is what is stored now."""

    def __init__(self, current: Post):
        super().__init__(_("Iemand anders heeft dit bericht intussen opgeslagen."))
        self.current = current


def can_edit(post: Post, user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_editor:
        return True
    return post.author_id == user.pk and post.status in Status.author_editable()


@transaction.atomic
def create_post(*, author, fields: dict, tags: list[str] | None = None) -> Post:
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ValueError(f"not content fields: {sorted(unknown)}")
    post = Post(author=author, **fields)
    post.save()
    if tags is not None:
        post.tags.set(tags)
    return post


@transaction.atomic
def save_post(
    *, post: Post, actor, expected_version: int, fields: dict, tags: list[str] | None = None,
    revision_session: str = "",
) -> Post:
    """Write `fields` (content only) if the stored version is still `expected_version`.

    With `revision_session` (an autosave) the save updates the revision that the same
    session wrote last, if that is still the post's newest one, instead of adding one.
    """
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise ValueError(f"not content fields: {sorted(unknown)}")
    current = Post.objects.select_for_update().get(pk=post.pk)
    # Rights and status first: a refused person learns nothing of a newer text, and a stale
    # form for a post that was submitted meanwhile hears why, not "someone else saved".
    if not can_edit(current, actor):
        if current.author_id != getattr(actor, "pk", None) and not getattr(actor, "is_editor", False):
            raise PermissionDenied(_("Je mag dit bericht niet bewerken."))
        raise WorkflowError(
            _("Dit bericht is %(status)s en kan nu niet worden bewerkt.")
            % {"status": current.get_status_display().lower()},
            code="not_editable",
        )
    bumped = Post.objects.filter(pk=post.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise EditConflict(current)
    current.version = expected_version + 1
    for name, value in fields.items():
        setattr(current, name, value)
    current._history_user = actor
    session_row = None
    if revision_session:
        current._change_reason = AUTOSAVE_REASON + revision_session
        newest = current.history.order_by("-history_id").first()
        if newest is not None and newest.history_change_reason == current._change_reason \
                and newest.history_user_id == actor.pk:
            session_row = newest
            current.skip_history_when_saving = True
    try:
        current.save(update_fields=set(fields) | {"version", "updated_at"})
    finally:
        if session_row is not None:
            del current.skip_history_when_saving
    if session_row is not None:
        for field in Post.history.model.tracked_fields:
            setattr(session_row, field.attname, getattr(current, field.attname))
        session_row.history_date = timezone.now()
        session_row.save()
    if tags is not None:
        current.tags.set(tags)
    if actor.is_editor and actor.pk != current.author_id:
        PostEvent.objects.create(
            post=current,
            kind=PostEvent.Kind.EDIT,
            actor=actor,
            action="edit",
            from_status=current.status,
            to_status=current.status,
            history_id=current.history.order_by("-history_id")
            .values_list("history_id", flat=True)
            .first(),
            created_at=timezone.now(),
        )
    return current
