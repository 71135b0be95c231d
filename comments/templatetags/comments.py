"""The comments block under a post: `{% comments_section %}` (in templates/comments/section.html).

One query loads the comments this reader may see (`Comment.objects.visible_to`: approved
ones, plus held ones for editors and this browser's own); the threads are built in Python,
so 200 comments cost what 2 do.

A post with more than `PAGE_SIZE` of them shows the newest `PAGE_SIZE` (still oldest first
on the page), with "Eerdere reacties" to the ones before, `?reacties=2` and on: each page is
read from the index on (post, created_at) and costs the same whether the post has 200
comments or 20,000. Only then is the total counted (a second query). A reply whose parent
is on another page stands on its own, saying whom it answers.
"""

from django import template
from django.db.models import F
from django.urls import reverse

from comments.cookies import author_link, own_comment_ids
from comments.feeds import post_feed_kwargs
from comments.forms import CommentForm
from comments.models import Comment, token_digest

register = template.Library()

# Deeper replies are listed under the comment at this depth, marked "in reactie op …".
MAX_DEPTH = 3
PAGE_SIZE = 200
PAGE_PARAMETER = "reacties"


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
        if comment.parent_id and comment.parent_id not in by_id \
                and getattr(comment, "parent_status", None) == Comment.Status.APPROVED:
            comment.reply_to_name = comment.parent_name  # the parent is on another page
    for comment in rows:
        place(comment)
        comment.depth = depth[comment.pk]
        parent = holder[comment.pk]
        (parent.thread_replies if parent is not None else roots).append(comment)
    return roots


def page_number(request) -> int:
    raw = request.GET.get(PAGE_PARAMETER, "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def comments_page(post, *, user, own_ids, number: int) -> tuple[list[Comment], bool]:
    """Page `number` (1 = the newest) of the comments this reader sees, oldest first, and
    whether there are older ones: one query."""
    offset = (number - 1) * PAGE_SIZE
    rows = list(
        post.comments.visible_to(user, own_ids=own_ids)
        .select_related("user")
        .annotate(parent_name=F("parent__name"), parent_status=F("parent__status"))
        .order_by("-created_at", "-pk")[offset:offset + PAGE_SIZE + 1]
    )
    older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    rows.reverse()
    return rows, older


def comments_block_context(request, post, form: CommentForm | None = None) -> dict:
    user = request.user
    own = own_comment_ids(request)
    number = page_number(request)
    rows, older = comments_page(post, user=user, own_ids=own, number=number)
    for comment in rows:
        comment.is_held = comment.status != Comment.Status.APPROVED
        comment.is_own_pending = comment.is_held and comment.pk in own
    approved = {c.pk: c for c in rows if not c.is_held}
    paged = older or number > 1

    def approved_comment(pk: int) -> Comment | None:
        # On this page, or (a post with pages) anywhere under this post.
        if pk in approved or not paged:
            return approved.get(pk)
        return post.comments.approved().filter(pk=pk).first()

    if form is not None and form.is_bound:
        raw_parent = str(form.data.get("parent", ""))
    else:
        raw_parent = request.GET.get("antwoord", "")
    replying_to = approved_comment(int(raw_parent)) if raw_parent.isdigit() else None

    author_mode = user.is_authenticated and user.pk == post.author_id
    link = None if author_mode else author_link(request)
    if link is not None:
        linked = approved_comment(link[0])
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
    page_query = f"{PAGE_PARAMETER}={number}&" if number > 1 else ""
    return {
        "post": post,
        "comments": build_threads(rows),
        "count": post.comments.approved().count() if paged else len(approved),
        "page_number": number,
        "page_size": PAGE_SIZE,
        "older_url": f"?{PAGE_PARAMETER}={number + 1}#reacties" if older else "",
        "newer_url": (f"?{PAGE_PARAMETER}={number - 1}#reacties" if number > 2
                      else f"{post.get_absolute_url()}#reacties" if number == 2 else ""),
        "feed_url": reverse("comments:post-feed", kwargs=post_feed_kwargs(post)),
        "page_query": page_query,
        "form": form,
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
    block["csrf_token"] = context.get("csrf_token")
    block["request"] = request
    return block
