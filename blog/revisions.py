"""Readable differences between versions of a post's text.

Versions are django-simple-history rows; a PostEvent remembers the row that was current
when it happened, so "the version the guest submitted" and "the version the editor last
reviewed" are read from the timeline, defined once here for the admin and the desk.
"""

import difflib
import re
from dataclasses import dataclass

from blog.models import Post, PostEvent
from core.content import strip_tags

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


def text_of(version) -> str:
    """The readable text of a post or history row: title, intro and body."""
    body = version.body_markdown or strip_tags(getattr(version, "body_html", "") or "")
    parts = [version.title or "", version.intro or "", body]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level changes from `old` to `new`; whitespace (newlines too) is kept."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def has_changes(segments: list[Segment]) -> bool:
    return any(s.kind != "equal" and s.text.strip() for s in segments)


# What "since you submitted" and "since the editor's last review" count from. A review is a
# decision (request changes, approve, reject): an editor's edit or a reschedule is not one.
SUBMISSION = frozenset({"submit"})
REVIEW_DECISIONS = frozenset({"request_changes", "approve", "reject"})


def latest(events, actions) -> PostEvent | None:
    """The newest of `events` whose action is one of `actions`."""
    return max(
        (e for e in events if e.action in actions), key=lambda e: (e.created_at, e.pk),
        default=None,
    )


@dataclass(frozen=True)
class Baselines:
    """The versions of a post's text that the author and the editor compare against."""

    submitted: object | None  # the text as the author last handed it in
    reviewed: object | None  # the text at the editor's last review decision


def baselines(post: Post, events=None) -> Baselines:
    """Both versions, from the post's timeline (`events` when the page has it loaded).

    The same for the editor's review panel and the author's history page: "since the last
    review" counts from the editor's latest decision, whatever came after it.
    """
    events = list(post.events.all()) if events is None else events
    submit, review = latest(events, SUBMISSION), latest(events, REVIEW_DECISIONS)
    wanted = {e.history_id for e in (submit, review) if e is not None and e.history_id}
    rows = {h.history_id: h for h in Post.history.filter(history_id__in=wanted)} if wanted else {}
    return Baselines(
        submitted=rows.get(submit.history_id) if submit else None,
        reviewed=rows.get(review.history_id) if review else None,
    )


def submitted_version(post: Post):
    """The text as the author last handed it in."""
    return baselines(post).submitted


def reviewed_version(post: Post):
    """The text as it was at the editor's last review decision (not at an edit)."""
    return baselines(post).reviewed


def diff_since(version, post: Post) -> list[Segment] | None:
    if version is None:
        return None
    return word_diff(text_of(version), text_of(post))
