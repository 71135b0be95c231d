"""Readable differences between versions of a post's text.

Versions are django-simple-history rows; a PostEvent remembers the row that was current
when it happened, so "the version the guest submitted" and "the version the editor last
reviewed" are one lookup each.
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


def version_at(event: PostEvent | None):
    if event is None or event.history_id is None:
        return None
    return Post.history.filter(history_id=event.history_id).first()


def last_event(post: Post, *actions: str) -> PostEvent | None:
    return post.events.filter(action__in=actions).order_by("-created_at", "-pk").first()


def submitted_version(post: Post):
    """The text as the author last handed it in."""
    return version_at(last_event(post, "submit"))


def reviewed_version(post: Post):
    """The text as it was when an editor last sent it back or approved it."""
    return version_at(last_event(post, "request_changes", "approve", "reject"))


def diff_since(version, post: Post) -> list[Segment] | None:
    if version is None:
        return None
    return word_diff(text_of(version), text_of(post))
