"""Posting a comment, the author's one-time reply link, and the reply-mail opt-in links.

Views stay thin: the rules are in `comments/moderation.py`. Posts come only from
Post.objects.live(); a post that is not live takes no comments (404).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from blog.models import Post
from blog.views.public import PostDetailView
from comments import cookies
from comments import moderation as comments
from comments.forms import CommentForm
from comments.models import Comment
from core.antispam import client_ip
from core.formkeys import csrf_passes
from core.http import private_page
from core.ratelimit import rate_limit

PENDING_MESSAGE = _("Dank je wel! Je reactie wacht op goedkeuring door de redactie. Tot "
                    "die tijd zie alleen jij haar hieronder.")


# --- posting ------------------------------------------------------------------------------

def render_post_page(request, post: Post, form: CommentForm, *, status: int = 200):
    """The post page again, with the form as it was sent and what is wrong with it."""
    when = post.publish_at
    view = PostDetailView()
    view.setup(request, year=when.year, month=f"{when.month:02d}", slug=post.slug)
    view.object = post
    context = view.get_context_data(object=post)
    context["comment_form"] = form  # picked up by {% comments_section %}
    return view.render_to_response(context, status=status)


def _too_many_comments(request, post_id: int):
    """Over the rate limit: the post page with the comment as typed, so nothing is lost."""
    post = get_object_or_404(Post.objects.live().for_reading(), pk=post_id)
    form = CommentForm(request.POST)
    form.is_valid()  # so the page shows everything as it was typed
    form.add_error(None, _("Je hebt in korte tijd te veel reacties geplaatst. Wacht even "
                           "en probeer het dan opnieuw; je tekst staat hieronder nog."))
    return render_post_page(request, post, form)


@private_page  # the page it sends back holds what this reader typed
@csrf_exempt  # checked below: a form without a valid token comes back filled in, not a 403
@require_POST
@rate_limit(scope="comment", rate="COMMENT_RATE_LIMIT", what=gettext_lazy("reacties"),
            on_limit=_too_many_comments)
def post_comment(request, post_id: int):
    post = get_object_or_404(Post.objects.live().for_reading(), pk=post_id)
    form = CommentForm(request.POST)
    if not post.comments_open():
        return render_post_page(request, post, form, status=403)
    if not csrf_passes(request):
        # The page's script could not fetch the form's keys (no JavaScript, or it failed):
        # the form comes back as typed, now with the keys; nothing is stored.
        form.is_valid()
        form.add_error(None, _("Je reactie is nog niet geplaatst: we konden niet nagaan dat "
                               "ze van deze pagina kwam. Controleer haar en klik nog een "
                               "keer op “Plaats reactie”."))
        return render_post_page(request, post, form)
    if form.renew_expired_timestamp():
        # The page stood open for more than a day: a person's, sent back as typed.
        form.is_valid()
        form.add_error(None, _("Je reactie is nog niet geplaatst: deze pagina stond langer "
                               "dan een dag open. Controleer je reactie en klik nog een "
                               "keer op “Plaats reactie”."))
        return render_post_page(request, post, form)
    if not form.is_valid():
        return render_post_page(request, post, form)
    if form.is_bot():
        # The normal-looking answer; nothing is stored.
        messages.info(request, PENDING_MESSAGE)
        return redirect(post.get_absolute_url() + "#reacties")

    data = form.cleaned_data
    link = cookies.author_link(request)
    user = request.user if request.user.is_authenticated else None
    use_link = (
        link is not None and data["parent"] == link[0]
        and (user is None or user.pk != post.author_id)
    )
    try:
        comment = comments.post_comment(
            post=post,
            name=data["name"],
            email=data["email"],
            url=data["url"],
            body=data["body"],
            parent_id=data["parent"],
            user=user,
            notify_replies=data["notify_replies"],
            ip=client_ip(request),
            author_token=link[1] if use_link else "",
            hold=not request.rate_limit_checked,
        )
    except comments.CommentRefused as refusal:
        form.add_error(None, refusal)
        closed = refusal.code in {"closed", "not_live"}
        return render_post_page(request, post, form, status=403 if closed else 200)

    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Je reactie is geplaatst."))
    else:
        messages.info(request, PENDING_MESSAGE)
    if comment.notify_replies and comment.status != Comment.Status.SPAM \
            and not comments.address_confirmed(comment):
        messages.info(request, _("We hebben je een e-mail gestuurd: klik op de link daarin om "
                                 "mails over reacties op je reactie te ontvangen."))
    response = redirect(f"{post.get_absolute_url()}#reactie-{comment.pk}")
    if comment.status != Comment.Status.APPROVED:
        cookies.remember_own(request, response, comment)
    if use_link:
        cookies.forget_author_link(response)
    return response


# --- the links in e-mails -----------------------------------------------------------------

@private_page
def author_reply_link(request, token: str):
    """The post author's one-time link: opens the reply form as the author, no login needed."""
    comment = comments.comment_for_author_token(token)
    if comment is None or not comment.post.is_live:
        return render(request, "comments/link_invalid.html",
                      {"reason": "author", "days": comments.AUTHOR_LINK_DAYS}, status=404)
    post = comment.post
    if comment.status != Comment.Status.APPROVED:
        return render(request, "comments/link_invalid.html",
                      {"reason": "held", "post": post}, status=409)
    response = redirect(f"{post.get_absolute_url()}?antwoord={comment.pk}#reageer")
    cookies.set_author_link(response, comment, token)
    return response


@private_page
@require_http_methods(["GET", "POST"])
def confirm_replies(request, token: str):
    """Confirm by link: a page with a button, so a mail scanner's visit confirms nothing."""
    comment = comments.comment_for_confirm_token(token)
    if comment is None:
        return render(request, "comments/link_invalid.html", {"reason": "confirm"}, status=404)
    confirmed = False
    if request.method == "POST":
        comments.confirm_reply_address(comment)
        confirmed = True
    return render(request, "comments/confirm.html",
                  {"comment": comment, "post": comment.post, "confirmed": confirmed})


@private_page
@csrf_exempt  # the signed token is the authority; mail clients post RFC 8058 one-click
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One click stops reply mails about this comment; the page can switch them on again."""
    comment = comments.comment_for_unsubscribe_token(token)
    if comment is None:
        raise Http404(_("Deze afmeldlink klopt niet."))
    wanted = request.method == "POST" and request.POST.get("opnieuw") == "1"
    comments.set_reply_mails(comment, wanted=wanted)
    return render(request, "comments/unsubscribe.html",
                  {"comment": comment, "post": comment.post, "token": token,
                   "subscribed": wanted})
