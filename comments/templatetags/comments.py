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

from functools import lru_cache

from django import template
from django.db.models import BigIntegerField, F
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from comments.cookies import author_link, own_comment_ids
from comments.feeds import post_feed_kwargs
from comments.forms import CommentForm
from comments.models import Comment, token_digest
from comments.moderation import one_click_steps
from core import dates, pagecache
from core.db import Param, Statement, prepared
from core.formkeys import render_blank_once, render_shared_once
from core.links import cached_reverse

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


def in_page_order(roots: list[Comment]) -> list[Comment]:
    """The threads as one list in reading order.

    Each comment carries the markup around it: `opens_list` (an `<ol>` starts before it: it
    is the first of its list) and `closing` (the `</li>`/`</ol>` tags that follow it), so the
    nesting of `build_threads` comes out of one loop.
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


def moderation_html(comment: Comment, *, replies_open: bool, csrf_token: str,
                    next_url: str) -> SafeString | str:
    """An editor's one-click steps (approve, spam, answer) as small forms under the comment.

    Only on an editor's page, which is never cached (issue 11), so the CSRF token is theirs.
    """
    steps = [
        step for step in comment.one_click
        if step["name"] != "reply" or (replies_open and comment.is_held)
    ]
    if not steps:
        return ""
    forms = format_html_join(
        "", '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken"'
        ' value="{}"><input type="hidden" name="next" value="{}"><button type="submit"'
        ' class="button-small{}">{}</button></form>',
        (
            (step["url"], csrf_token, next_url,
             " button-danger" if step["name"] == "spam" else "",
             gettext("Goedkeuren en antwoorden") if step["name"] == "reply" else step["label"])
            for step in steps
        ),
    )
    return format_html(
        '<div class="comment-moderation" role="group" aria-label="{}">{}</div>',
        gettext("Beoordeel de reactie van %(name)s") % {"name": comment.name}, forms)


def comment_html(comment: Comment, *, replies_open: bool, moderation: str = "",
                 page_query: str = "", language: str | None = None,
                 zone: str | None = None) -> SafeString:
    """One comment's <li> opening and <article> (its closing tags follow its replies).

    Written in Python, not as a template: a post with many comments rendered a template's
    worth of nodes per comment, 40% of the page's time (issue 11). Every string goes through
    gettext and every value through escaping, as in a template.

    A reader's page (no editor's buttons) takes the markup from `_markup`, which keeps it
    per process under everything it is made of: the comment's text, name, dates, its place
    in the thread, the page and the language. An edited or newly approved comment is another
    key, so nothing is ever invalidated and nothing stale can show. `language` and `zone`
    are the active ones (given by a caller that makes many comments, to look them up once).
    """
    held_url = ""
    if comment.is_held and not comment.is_own_pending:
        held_url = reverse("admin:comments_comment_change", args=[comment.pk])
    parts = (
        comment.pk, comment.name, comment.website, comment.is_author_reply,
        comment.is_by_editor, comment.reply_to_name, comment.is_own_pending, comment.is_held,
        held_url, replies_open, page_query, comment.created_at, comment.body_html,
        comment.opens_list, language or get_language(),
        zone or timezone.get_current_timezone_name(),
    )
    if moderation:
        return _build(*parts, moderation=moderation)
    return _markup(*parts)


def _build(pk: int, name: str, website: str, is_author_reply: bool, is_by_editor: bool,
           reply_to_name: str, is_own_pending: bool, is_held: bool, held_url: str,
           replies_open: bool, page_query: str, created_at, body_html: str,
           opens_list: bool, language: str, zone: str, moderation: str = "") -> SafeString:
    """The markup of `comment_html` from plain values (`language` and `zone` are the active
    ones, part of the arguments only so that `_markup` keeps one entry per language and
    time zone)."""
    pk_text = str(pk)
    name_html = format_html("<bdi>{}</bdi>", name)
    if website:
        name_html = format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', website,
                                name_html)
    badge = ""
    if is_author_reply:
        badge = format_html('<span class="badge badge-ok">{}</span>', gettext("auteur"))
    elif is_by_editor:
        badge = format_html('<span class="badge">{}</span>', gettext("redactie"))
    reply_to = ""
    if reply_to_name:
        reply_to = format_html('<span class="comment-reply-to">{} <bdi>{}</bdi></span>',
                               gettext("in reactie op"), reply_to_name)
    status = ""
    if is_own_pending:
        status = format_html('<p class="comment-status">{}</p>', gettext(
            "Je reactie wacht op goedkeuring door de redactie. Alleen jij ziet haar nu."))
    elif is_held:
        status = format_html(
            '<p class="comment-status">{} <a href="{}">{}</a></p>',
            gettext("Wacht op goedkeuring; alleen de redactie ziet deze reactie."),
            held_url, gettext("Beoordelen"))
    actions = ""
    if replies_open and not is_held:
        on_name = mark_safe(gettext("op %(name)s") % {"name": escape(name)})
        actions = format_html(
            '<p class="comment-actions"><a class="comment-reply"'
            ' href="?{page_query}antwoord={pk}#reageer"'
            ' data-parent="{pk}" data-name="{name}">{label}<span class="visually-hidden"> '
            "{on_name}</span></a></p>",
            pk=pk_text, name=name, label=gettext("Reageer"), on_name=on_name,
            page_query=page_query)
    classes = "comment"
    if is_author_reply:
        classes += " comment-by-author"
    if is_held:
        classes += " comment-pending"
    return format_html(
        '{opens}<li class="comment-item">\n'
        '    <article class="{classes}" id="reactie-{pk}">\n'
        '      <p class="comment-meta">\n'
        '        <span class="comment-name">{name}</span>\n'
        "        {badge}\n"
        "        {reply_to}\n"
        '        <a class="comment-date" href="#reactie-{pk}"><time datetime="{iso}">{when}'
        "</time></a>\n"
        "      </p>\n"
        "      {status}\n"
        '      <div class="comment-body">{body}</div>\n'
        "      {moderation}\n"
        "      {actions}\n"
        "    </article>\n",
        opens=mark_safe('<ol class="comment-list">\n') if opens_list else "",
        classes=classes, pk=pk_text, name=name_html, badge=badge, reply_to=reply_to,
        iso=dates.iso(created_at), when=dates.day_and_time(created_at),
        status=status,
        body=mark_safe(body_html),  # sanitised when the comment was saved
        moderation=moderation,
        actions=actions,
    )


# Sized for a few pages of 200 comments per worker: with comments of a few hundred characters
# a few megabytes; at the 5,000-character limit for every one, about 30 MB.
_markup = lru_cache(maxsize=2048)(_build)


def thread_html(ordered: list[Comment], *, replies_open: bool, request=None,
                next_url: str = "", page_query: str = "") -> SafeString:
    """The threads, nested <ol>s, from `in_page_order`; with an editor's one-click steps."""
    token = get_token(request) if request is not None and any(
        comment.one_click for comment in ordered) else ""
    language, zone = get_language(), timezone.get_current_timezone_name()
    return mark_safe("".join(
        comment_html(
            comment, replies_open=replies_open, page_query=page_query,
            moderation=moderation_html(comment, replies_open=replies_open, csrf_token=token,
                                       next_url=next_url) if token else "",
            language=language, zone=zone,
        ) + comment.closing + "\n"
        for comment in ordered
    ))


def page_number(request) -> int:
    raw = request.GET.get(PAGE_PARAMETER, "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def _page(comments, offset: int):
    # Read from the (post, created_at) index for 20 comments or 20,000. Of the account
    # behind a comment only whether it is an editor's (Comment.is_by_editor).
    return (
        comments.annotate(parent_name=F("parent__name"), parent_status=F("parent__status"),
                          user_is_staff=F("user__is_staff"))
        .order_by("-created_at", "-pk")[offset:offset + PAGE_SIZE + 1]
    )


# What nearly every request asks: a reader's first page (no comments of their own waiting,
# not an editor), compiled once (core.db.Statement).
_FIRST_PAGE = Statement(lambda: _page(
    Comment.objects.approved().filter(post=Param("post", BigIntegerField())), 0))


def comments_page(post, *, user, own_ids, number: int) -> tuple[list[Comment], bool]:
    """Page `number` (1 = the newest) of the comments this reader sees, oldest first, and
    whether there are older ones: one query."""
    if number == 1 and not own_ids and not (user.is_authenticated and user.is_editor):
        rows = _FIRST_PAGE(post=post.pk)
        for row in rows:
            row.post = post  # as post.comments gives them
    else:
        offset = (number - 1) * PAGE_SIZE
        with prepared():
            rows = list(_page(post.comments.visible_to(user, own_ids=own_ids), offset))
    older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    rows.reverse()
    return rows, older


def comments_block_context(request, post, form: CommentForm | None = None) -> dict:
    user = request.user
    own = own_comment_ids(request)
    number = page_number(request)
    rows, older = comments_page(post, user=user, own_ids=own, number=number)
    moderate = bool(user.is_authenticated and user.is_editor)
    for comment in rows:
        comment.is_held = comment.status != Comment.Status.APPROVED
        comment.is_own_pending = comment.is_held and comment.pk in own
        # An editor approves, marks spam or answers here in one click (the admin's step).
        comment.one_click = one_click_steps(comment) if moderate else []
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

    is_open = post.comments_open()
    action = cached_reverse("comments:post", post.pk)
    cancel_url = post.get_absolute_url() + "#reageer"
    form_html = None
    if (form is None and is_open and replying_to is None and not author_mode
            and not user.is_authenticated and pagecache.is_shared(request)):
        # A blank form, the same for every reader of this post (formkeys.js fills in its
        # keys): made once, not per request.
        form_html = render_shared_once("comments/form.html", "comments/form_fields.html",
                                       CommentForm, action=action, cancel_url=cancel_url)
    elif form is None:
        initial = {}
        if author_mode:
            initial = {"name": post.author.display_name, "email": post.author.email}
        elif user.is_authenticated:
            initial = {"name": user.display_name, "email": user.email}
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        form = CommentForm(initial=initial)

    page_query = f"{PAGE_PARAMETER}={number}&" if number > 1 else ""
    feed = post_feed_kwargs(post)
    return {
        "post": post,
        "comments": rows,
        "thread_html": thread_html(
            in_page_order(build_threads(rows)), replies_open=is_open, request=request,
            next_url=post.get_absolute_url() + "#reacties", page_query=page_query,
        ),
        "count": post.comments.approved().count() if paged else len(approved),
        "page_number": number,
        "page_size": PAGE_SIZE,
        "older_url": f"?{PAGE_PARAMETER}={number + 1}#reacties" if older else "",
        "newer_url": (f"?{PAGE_PARAMETER}={number - 1}#reacties" if number > 2
                      else f"{post.get_absolute_url()}#reacties" if number == 2 else ""),
        "feed_url": cached_reverse("comments:post-feed", feed["year"], feed["month"],
                                   feed["slug"]),
        "page_query": page_query,
        "form": form,
        "form_html": form_html,
        "fields_html": (render_blank_once("comments/form_fields.html", form)
                        if is_open and form is not None else None),
        "open": is_open,
        "kept_text": (form.data.get("body", "")
                      if form is not None and form.is_bound and not is_open else ""),
        "replying_to": replying_to,
        "author_mode": author_mode,
        "action": action,
        "cancel_url": cancel_url,
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
