"""Comment moderation in the admin: the queue (pending first), bulk actions, and per comment
the post, the parent and the commenter's history (counted in the list query, no N+1)."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from comments import moderation
from comments.models import QUEUE_ORDER, Comment
from core.admin_lists import RowsAdminMixin, clip, url_maker
from core.paging import PagedByIdAdminMixin  # no count or OFFSET through a million rows

Status = Comment.Status


# A regular may have thousands of comments; the queue says "100+" rather than count them all
# on every row (50 rows × thousands of index entries per view).
HISTORY_CAP = 100


class CappedCount(Subquery):
    """COUNT(*) of a (sliced) subquery: counts at most as far as the slice goes."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def _same_address(status: str):
    return (
        Comment.objects.filter(email_hash=OuterRef("email_hash"), status=status)
        .exclude(email_hash="")
        .order_by()
        .values("pk")
    )


def _history_count(status: str):
    """How many comments from the same address have this status, counted up to
    HISTORY_CAP + 1: one subquery per column."""
    return CappedCount(_same_address(status)[:HISTORY_CAP + 1])


def history_text(count: int) -> str:
    return f"{HISTORY_CAP}+" if count > HISTORY_CAP else str(count)


# Button name in the change form → (domain function, message).
MODERATION_BUTTONS = {
    "_approve": (moderation.approve, gettext_lazy("De reactie is goedgekeurd.")),
    "_spam": (moderation.mark_spam, gettext_lazy("De reactie is als spam gemarkeerd.")),
    "_remove": (moderation.remove, gettext_lazy("De reactie is verwijderd.")),
}


STATUS_LABELS = dict(Status.choices)


class RowLinks:
    """The admin addresses a comment links to, each reversed once (per page, in the list)."""

    def __init__(self):
        self.post = url_maker("admin:blog_post_change")
        self.comment = url_maker("admin:comments_comment_change")
        self.moderate = url_maker("admin:comments_comment_moderate", 2, quoted=False)
        self.changelist = reverse("admin:comments_comment_changelist")


def row_links(comment) -> RowLinks:
    """The page's links (CommentAdmin.prepare_rows), or this object's own (the change form)."""
    links = getattr(comment, "row_links", None)
    return links if links is not None else RowLinks()


ONE_CLICK_DONE = {
    "approve": gettext_lazy("De reactie van %(name)s is goedgekeurd."),
    "spam": gettext_lazy("De reactie van %(name)s is als spam gemarkeerd."),
    "remove": gettext_lazy("De reactie van %(name)s is verwijderd."),
}


@admin.register(Comment)
class CommentAdmin(RowsAdminMixin, PagedByIdAdminMixin, admin.ModelAdmin):
    list_display = ("excerpt", "commenter", "post_link", "parent_link", "status_label",
                    "history", "created_at", "one_click")
    list_display_links = ("excerpt",)
    list_filter = ("status", "is_author_reply")
    search_fields = ("name", "email", "body", "post__title")
    list_per_page = 50
    actions = ("approve_selected", "mark_selected_spam", "remove_selected")
    change_form_template = "comments/admin_change_form.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("status_label", "post_link", "parent_link", "name", "email", "url", "body",
              "body_preview", "history", "is_author_reply", "user", "notify_replies",
              "created_at", "moderated")
    readonly_fields = ("status_label", "post_link", "parent_link", "body_preview", "history",
                       "is_author_reply", "user", "notify_replies", "created_at", "moderated")

    # Comments are written by readers, never added here.
    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # Annotated before ordering: the queue orders by the annotation (pending first).
        return (
            self.model._default_manager.get_queryset()
            .select_related("post", "parent", "user", "moderated_by")
            .annotate(
                approved_count=_history_count(Status.APPROVED),
                spam_count=_history_count(Status.SPAM),
                queue_order=QUEUE_ORDER,  # the expression of comment_queue_idx
            )
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        if request.GET.get("status__exact") in Status.values:
            # One status: held-first is moot, and newest first reads comment_status_idx in
            # order (the queue's expression index would need the status sorted out first).
            return ["-created_at", "-pk"]
        return ["queue_order", "-created_at", "-pk"]

    def prepare_rows(self, request, rows):
        links = RowLinks()
        for comment in rows:
            comment.row_links = links

    # --- columns ------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("reactie"))
    def excerpt(self, comment):
        return clip(" ".join(comment.body.split()), 90)

    @admin.display(description=gettext_lazy("van"), ordering="name")
    def commenter(self, comment):
        if comment.email:
            return format_html("{}<br><small>{}</small>", comment.name, comment.email)
        return comment.name

    @admin.display(description=gettext_lazy("bericht"), ordering="post__title")
    def post_link(self, comment):
        return format_html(
            '<a href="{}">{}</a>', row_links(comment).post(comment.post_id),
            clip(comment.post.title, 50),
        )

    @admin.display(description=gettext_lazy("reactie op"))
    def parent_link(self, comment):
        parent = comment.parent
        if parent is None:
            return "—"
        return format_html(
            '<a href="{}">{}: {}</a>', row_links(comment).comment(parent.pk), parent.name,
            clip(" ".join(parent.body.split()), 40),
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, comment):
        label = STATUS_LABELS.get(comment.status, comment.status)
        if comment.is_author_reply:
            label = _("%(status)s (auteur)") % {"status": label}
        return label

    @admin.display(description=gettext_lazy("eerder van dit adres"))
    def history(self, comment):
        approved = getattr(comment, "approved_count", None)
        spam = getattr(comment, "spam_count", None)
        if approved is None:  # the change form's object comes without the annotations
            same = Comment.objects.filter(email_hash=comment.email_hash).exclude(email_hash="")
            approved = same.filter(status=Status.APPROVED)[:HISTORY_CAP + 1].count()
            spam = same.filter(status=Status.SPAM)[:HISTORY_CAP + 1].count()
        text = _("%(approved)s goedgekeurd, %(spam)s spam") % {
            "approved": history_text(approved), "spam": history_text(spam),
        }
        if not comment.email:
            return text
        url = row_links(comment).changelist + "?" + urlencode({"q": comment.email})
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description=gettext_lazy("zoals lezers het zien"))
    def body_preview(self, comment):
        # body_html is sanitised on save (blog.content.plain_text_to_html).
        return format_html("<div>{}</div>", mark_safe(comment.body_html))

    @admin.display(description=gettext_lazy("beoordeeld"))
    def moderated(self, comment):
        if comment.moderated_at is None:
            return _("automatisch") if comment.status == Status.APPROVED else "—"
        who = comment.moderated_by.get_username() if comment.moderated_by else "?"
        return f"{comment.moderated_at:%d-%m-%Y %H:%M} ({who})"

    @admin.display(description=gettext_lazy("beoordelen"))
    def one_click(self, comment):
        # Buttons of the list's own form, which carries the CSRF token and the page to come
        # back to ("next", templates/admin/comments/comment/change_list.html).
        steps = moderation.one_click_steps(comment, url=row_links(comment).moderate)
        return format_html_join(
            " ", '<button type="submit" class="button desk-one-click" formaction="{}" '
            'formnovalidate>{}<span class="visually-hidden"> ({})</span></button>',
            ((step["url"], step["label"], comment.name) for step in steps),
        )

    # --- one click ----------------------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:object_id>/beoordelen/<str:step>/",
                 self.admin_site.admin_view(require_POST(self.moderate_view)),
                 name="comments_comment_moderate"),
        ] + super().get_urls()

    def moderate_view(self, request, object_id, step):
        """One step on one comment (POST, CSRF, editors only), then back where it came from."""
        if step not in moderation.ONE_CLICK or not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment.objects.select_related("post"), pk=object_id)
        next_url = request.GET.get("next") or request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            next_url = reverse("admin:comments_comment_changelist")
        post = comment.post
        if step == "reply" and not (post.is_live and post.comments_open()):
            self.message_user(request, _("Bij dit bericht kun je niet (meer) reageren."),
                              messages.ERROR)
            return HttpResponseRedirect(next_url)
        try:
            moderation.moderate_one(comment=comment, action=step, actor=request.user)
        except moderation.CommentRefused as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(next_url)
        if step == "reply":
            return HttpResponseRedirect(f"{post.get_absolute_url()}?antwoord={comment.pk}#reageer")
        self.message_user(request, ONE_CLICK_DONE[step] % {"name": comment.name},
                          messages.SUCCESS)
        return HttpResponseRedirect(next_url)

    # --- moderation ---------------------------------------------------------------------
    def _bulk(self, request, queryset, action) -> int:
        return action(comments=queryset.values_list("pk", flat=True), actor=request.user)

    @admin.action(description=gettext_lazy("Goedkeuren"))
    def approve_selected(self, request, queryset):
        count = self._bulk(request, queryset, moderation.approve)
        self.message_user(request, ngettext(
            "%(count)d reactie goedgekeurd.", "%(count)d reacties goedgekeurd.", count
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Markeren als spam"))
    def mark_selected_spam(self, request, queryset):
        count = self._bulk(request, queryset, moderation.mark_spam)
        self.message_user(request, ngettext(
            "%(count)d reactie als spam gemarkeerd.", "%(count)d reacties als spam gemarkeerd.",
            count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Verwijderen (niet meer tonen)"))
    def remove_selected(self, request, queryset):
        count = self._bulk(request, queryset, moderation.remove)
        self.message_user(request, ngettext(
            "%(count)d reactie verwijderd.", "%(count)d reacties verwijderd.", count
        ) % {"count": count}, messages.SUCCESS)

    def response_change(self, request, obj):
        for button, (action, message) in MODERATION_BUTTONS.items():
            if button in request.POST:
                action(comments=[obj.pk], actor=request.user)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:comments_comment_changelist") + "?status__exact=pending"
                )
        return super().response_change(request, obj)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["reply_step"] = next(
                (step for step in moderation.one_click_steps(obj) if step["name"] == "reply"), None)
        context["moderation_buttons"] = [
            ("_approve", _("Goedkeuren")),
            ("_spam", _("Spam")),
            ("_remove", _("Verwijderen")),
        ]
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
