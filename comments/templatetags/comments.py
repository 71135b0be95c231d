"""The comments block under a post: `{% comments_section %}` (in templates/comments/section.html).

One query loads the comments this reader may see (`Comment.objects.visible_to`: approved
ones, plus held ones for editors and this browser's own); the threads are built in Python,
so 200 comments cost what 2 do.
"""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from comments.cookies import author_link, own_comment_ids
from comments.forms import CommentForm
from comments.models import Comment, token_digest
from core.formkeys import render_blank_once

register = template.Library()

# Deeper replies are listed under the comment at this depth, marked "in reactie op …".
MAX_DEPTH = 3


def build_threads(rows: list[Comment]) -> list[Comment]:
    """Nest comments (given in date order) into threads; each gets `.thread_replies`.

    A reply whose parent is not shown (removed later) stands on its own; replies deeper than
    MAX_DEPTH join their parent's list, in date order, naming whom they answer.
    """
    by_id = {comment.pk: comment for comment in rows}
    depth: dict[int, int] = {}
    holder: dict[int, Comment | None] = {}

    def place(comment: Comment) -> int:
        if comment.pk in depth:
            return depth[comment.pk]
        parent = by_id.get(comment.parent_id)
        if parent is None:
            depth[comment.pk], holder[comment.pk] = 1, None
        elif place(parent) < MAX_DEPTH:
            depth[comment.pk], holder[comment.pk] = depth[parent.pk] + 1, parent
        else:
            depth[comment.pk], holder[comment.pk] = MAX_DEPTH, holder[parent.pk]
            comment.reply_to_name = parent.name
        return depth[comment.pk]

    roots = []
    for comment in rows:
        comment.thread_replies = []
        comment.reply_to_name = ""
    for comment in rows:
        place(comment)
        comment.depth = depth[comment.pk]
        parent = holder[comment.pk]
        (parent.thread_replies if parent is not None else roots).append(comment)
    return roots


def in_page_order(roots: list[Comment]) -> list[Comment]:
    """The threads as one list in reading order, for a single loop in the template.

    Each comment carries the markup around it: `opens_list` (an `<ol>` starts before it: it
    is the first of its list) and `closing` (the `</li>`/`</ol>` tags that follow it), so the
    nesting of `build_threads` comes out without a template included per comment.
    """
    ordered: list[Comment] = []

    def walk(comments: list[Comment]) -> None:
        for index, comment in enumerate(comments):
            comment.opens_list = index == 0
            comment.closing = ""
            ordered.append(comment)
            if comment.thread_replies:
                walk(comment.thread_replies)
            ordered[-1].closing += "</li>"  # this comment's own item, after its replies
            if index == len(comments) - 1:
                ordered[-1].closing += "</ol>"

    walk(roots)
    for comment in ordered:
        comment.closing = mark_safe(comment.closing)  # fixed tags only, never text
    return ordered


def comments_block_context(request, post, form: CommentForm | None = None) -> dict:
    user = request.user
    own = own_comment_ids(request)
    rows = list(post.comments.visible_to(user, own_ids=own).select_related("user"))
    for comment in rows:
        comment.is_held = comment.status != Comment.Status.APPROVED
        comment.is_own_pending = comment.is_held and comment.pk in own
    approved = {c.pk: c for c in rows if not c.is_held}

    if form is not None and form.is_bound:
        raw_parent = str(form.data.get("parent", ""))
    else:
        raw_parent = request.GET.get("antwoord", "")
    replying_to = approved.get(int(raw_parent)) if raw_parent.isdigit() else None

    author_mode = user.is_authenticated and user.pk == post.author_id
    link = None if author_mode else author_link(request)
    if link is not None:
        linked = approved.get(link[0])
        author_mode = bool(
            linked is not None and replying_to is linked
            and linked.author_token_digest == token_digest(link[1])
        )

    if form is None:
        initial = {}
        if author_mode:
            initial = {"name": post.author.display_name, "email": post.author.email}
        elif user.is_authenticated:
            initial = {"name": user.display_name, "email": user.email}
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        form = CommentForm(initial=initial)

    is_open = post.comments_open()
    return {
        "post": post,
        "comments": in_page_order(build_threads(rows)),
        "count": len(approved),
        "form": form,
        "fields_html": render_blank_once("comments/form_fields.html", form) if is_open else None,
        "open": is_open,
        "kept_text": form.data.get("body", "") if form.is_bound and not is_open else "",
        "replying_to": replying_to,
        "author_mode": author_mode,
        "action": reverse("comments:post", kwargs={"post_id": post.pk}),
        "cancel_url": post.get_absolute_url() + "#reageer",
    }


@register.inclusion_tag("comments/block.html", takes_context=True)
def comments_section(context):
    """The whole comments block: threads, count, and the form (or "closed")."""
    request = context.get("request")
    if request is None:  # rendered outside a request (a mail, a test): nothing to show
        return {"hidden": True}
    block = comments_block_context(request, context["post"], context.get("comment_form"))
    block["request"] = request
    return block
