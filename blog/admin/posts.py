"""The post admin: the review queue's other half.

Lists with the filters an editor needs; a change page with the timeline, the diffs, the
preview link and exactly the workflow buttons allowed now; bulk approve-and-schedule and
bulk "request changes". Text is saved through `blog.editing` (optimistic locking), status
only ever changes through `blog.workflow`.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from blog import editing, images, preview, revisions, workflow
from blog.admin.forms import BulkNoteForm, PostAdminForm, TransitionForm
from blog.models import Page, Post, Series, Status, TaggedPost
from blog.planner import free_slots
from blog.scheduling import next_free_slot
from blog.widgets import MarkdownEditor
from core.admin_lists import RowsAdminMixin
from core.http import absolute_url
from core.paging import PagedByIdAdminMixin  # no count or OFFSET through 100,000 posts
from trends.admin import TrendChoiceAdminMixin, trend_label
from trends.models import Trend, TrendList


def local(moment, fmt="D j b Y H:i") -> str:
    return date_format(timezone.localtime(moment), fmt) if moment else ""


def reader_url(post) -> str:
    """"Weergeven op website" / "Bekijken": the page readers see when the post is live, and
    the editor's signed preview (blog.preview) while it is not, so it is never a 404."""
    return post.get_absolute_url() if post.is_live else preview.preview_url(post)


def workflow_error_text(exc) -> str:
    """A WorkflowError or PermissionDenied as one Dutch sentence."""
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("Je mag deze stap niet zetten voor dit bericht.")
    return " ".join(exc.messages)


# --- list filters ---------------------------------------------------------------------------

class StatusFilter(admin.SimpleListFilter):
    """Status in words: approved splits into scheduled and published (computed, not stored)."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, Status.DRAFT.label),
            (Status.SUBMITTED, Status.SUBMITTED.label),
            (Status.CHANGES_REQUESTED, Status.CHANGES_REQUESTED.label),
            ("scheduled", _("Ingepland")),
            ("live", _("Gepubliceerd")),
            (Status.REJECTED, Status.REJECTED.label),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.live()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class OriginFilter(admin.SimpleListFilter):
    title = gettext_lazy("gast of eigen")
    parameter_name = "herkomst"

    def lookups(self, request, model_admin):
        return [("gast", _("Gastblogs")), ("redactie", _("Van de redactie")),
                ("mij", _("Van mij"))]

    def queryset(self, request, queryset):
        if self.value() == "gast":
            return queryset.filter(author__is_staff=False)
        if self.value() == "redactie":
            return queryset.filter(author__is_staff=True)
        if self.value() == "mij":
            return queryset.filter(author=request.user)
        return queryset


# A blog of 100,000 posts has thousands of authors and tags and hundreds of series: the
# filters offer the ones on the newest posts (and the one chosen), never all of them; the
# search box finds the others by name.
RECENT_POSTS = 300
MAX_CHOICES = 25


class RecentChoicesFilter(admin.SimpleListFilter):
    """A filter whose choices are bounded: `options(selected)` gives (value, label) pairs."""

    def lookups(self, request, model_admin):
        self.request = request
        selected = self.value()
        return sorted(self.options(selected), key=lambda choice: str(choice[1]).lower())

    def recent_posts(self):
        """The newest posts (id, author, series), once per request: a list, so that every
        filter's query starts from these rows instead of scanning to find them."""
        request = self.request
        if not hasattr(request, "_recent_posts"):
            request._recent_posts = list(
                Post.objects.order_by("-pk").values_list("pk", "author_id", "series_id")
                [:RECENT_POSTS]
            )
        return request._recent_posts

    def options(self, selected) -> list[tuple[str, str]]:
        raise NotImplementedError


class AuthorFilter(RecentChoicesFilter):
    title = gettext_lazy("auteur")
    parameter_name = "author__id__exact"

    def options(self, selected):
        wanted = Q(pk__in={author for _, author, _ in self.recent_posts()}) | Q(
            is_staff=True, is_active=True)
        if selected and selected.isdigit():
            wanted |= Q(pk=int(selected))
        users = get_user_model().objects.filter(wanted).select_related("profile")
        found = [(str(user.pk), user.display_name) for user in users.order_by("-pk")[:MAX_CHOICES]]
        if selected and selected.isdigit() and selected not in {value for value, _ in found}:
            found += [(str(user.pk), user.display_name) for user in users.filter(pk=selected)]
        return found

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(author_id=int(value)) if value.isdigit() else queryset.none()
        return queryset


class SeriesFilter(RecentChoicesFilter):
    title = gettext_lazy("reeks")
    parameter_name = "series__id__exact"

    def options(self, selected):
        wanted = Q(pk__in={series for _, _, series in self.recent_posts() if series})
        if selected and selected.isdigit():
            wanted |= Q(pk=int(selected))
        return [(str(pk), title) for pk, title in
                Series.objects.filter(wanted).order_by("-created_at")
                .values_list("pk", "title")[:MAX_CHOICES]]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(series_id=int(value)) if value.isdigit() else queryset.none()
        return queryset


class TrendFilter(RecentChoicesFilter):
    """The trends of the three newest trend lists (and the one chosen)."""

    title = gettext_lazy("trend")
    parameter_name = "trend__id__exact"

    def lookups(self, request, model_admin):
        self.request = request
        return self.options(self.value())  # in list order: year, then number

    def options(self, selected):
        years = TrendList.objects.order_by("-year").values("pk")[:3]
        wanted = Q(trend_list__in=years)
        if selected and selected.isdigit():
            wanted |= Q(pk=int(selected))
        return [(str(trend.pk), trend_label(trend)) for trend in
                Trend.objects.filter(wanted).select_related("trend_list")
                .order_by("-trend_list__year", "number")]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(trend_id=int(value)) if value.isdigit() else queryset.none()
        return queryset


class TagFilter(RecentChoicesFilter):
    title = gettext_lazy("tag")
    parameter_name = "tag"

    def options(self, selected):
        uses = (
            TaggedPost.objects.filter(content_object__in=[pk for pk, _, _ in self.recent_posts()])
            .values("tag").annotate(uses=Count("pk")).order_by("-uses", "tag")
            .values_list("tag", flat=True)[:MAX_CHOICES]
        )
        found = list(Tag.objects.filter(pk__in=list(uses)).values_list("slug", "name"))
        if selected and selected not in {slug for slug, _ in found}:
            found += list(Tag.objects.filter(slug=selected).values_list("slug", "name"))
        return found

    def queryset(self, request, queryset):
        if self.value():
            # By id, not by a join on the slug: with a known tag id PostgreSQL knows how
            # common the tag is and reads a frequent one along the list's own index.
            tag = Tag.objects.filter(slug=self.value()).first()
            return queryset.filter(tags=tag) if tag else queryset.none()
        return queryset


class ConflictRetryMixin:
    """A save that loses the race to a colleague's save is shown as a conflict, not a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except editing.EditConflict:
            # Someone saved between the form's version check and our write (nothing was
            # written, the transaction rolled back): render again, and the version check
            # now shows both versions with what this editor typed still in the form.
            return super().changeform_view(request, object_id, form_url, extra_context)


# --- the admin ------------------------------------------------------------------------------

SUCCESS = {
    "approve": gettext_lazy("“%(title)s” is goedgekeurd en ingepland voor %(when)s."),
    "request_changes": gettext_lazy("De auteur van “%(title)s” krijgt je verzoek om aanpassingen."),
    "reject": gettext_lazy("“%(title)s” is afgewezen; de auteur krijgt je toelichting."),
    "reschedule": gettext_lazy("“%(title)s” is verplaatst naar %(when)s."),
    "unpublish": gettext_lazy("“%(title)s” is teruggezet naar concept."),
    "reopen": gettext_lazy("“%(title)s” is heropend als concept."),
}


@admin.register(Post)
class PostAdmin(TrendChoiceAdminMixin, ConflictRetryMixin, RowsAdminMixin, PagedByIdAdminMixin,
                admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "status_words", "author_name", "series_part", "publish_local"]
    list_filter = [StatusFilter, AuthorFilter, SeriesFilter, TrendFilter, TagFilter, OriginFilter]
    search_fields = ["title", "body_markdown", "intro", "author__username",
                     "author__profile__display_name", "series__title"]
    list_select_related = ["author__profile", "series"]
    list_per_page = 50
    actions = ["approve_and_schedule", "request_changes_bulk"]
    change_form_template = "admin/blog/post/change_form.html"

    def view_on_site(self, post):
        return reader_url(post)

    # --- list ---------------------------------------------------------------------------
    def get_queryset(self, request):
        total = (
            Post.objects.filter(series=OuterRef("series")).order_by()
            .values("series").annotate(n=Count("pk")).values("n")
        )
        return super().get_queryset(request).annotate(series_total=Subquery(total))

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_words(self, post):
        return post.status_label()

    @admin.display(description=gettext_lazy("auteur"), ordering="author__username")
    def author_name(self, post):
        name = post.author.display_name
        return name if post.author.is_staff else format_html("{} <span class=\"badge\">{}</span>",
                                                             name, _("gast"))

    @admin.display(description=gettext_lazy("reeks"), ordering="series_position")
    def series_part(self, post):
        if not post.series_id:
            return ""
        if post.series_position:
            return _("%(series)s, deel %(n)s van %(total)s") % {
                "series": post.series.title, "n": post.series_position,
                "total": post.series_total}
        return post.series.title

    @admin.display(description=gettext_lazy("publicatiemoment"), ordering="publish_at")
    def publish_local(self, post):
        return local(post.publish_at)

    # --- form ---------------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        text = ["loaded_version", "title", "slug"] + ([] if obj else ["author"]) + [
            "intro", "body_markdown", "excerpt"]
        image = (["current_image", "remove_image"] if obj and obj.featured_image_id else []) + [
            "image_upload", "featured_image_alt"]
        return [
            (None, {"fields": text}),
            (_("Uitgelichte afbeelding"), {"fields": image}),
            (_("Ordening"), {"fields": ["tags", "trend", "series", "series_position",
                                         "allow_comments"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["current_image"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not obj and "author" in form.base_fields:
            form.base_fields["author"].initial = request.user.pk
        return form

    @admin.display(description=gettext_lazy("huidige afbeelding"))
    def current_image(self, post):
        image = post.featured_image
        if not image:
            return ""
        return format_html('<img src="{}" alt="{}" class="admin-thumb">', image.url_for(400),
                           post.featured_image_alt)

    def save_model(self, request, obj, form, change):
        cleaned = form.cleaned_data
        content = [name for name in form.base_fields if name in editing.CONTENT_FIELDS]
        tags = cleaned.get("tags") if "tags" in form.changed_data or not change else None
        try:
            stored = cleaned.get("image_upload")
            image = images.save_image(stored, uploaded_by=request.user) if stored else None
            if change:
                fields = {name: cleaned[name] for name in content if name in form.changed_data}
                if image:
                    fields["featured_image"] = image
                elif cleaned.get("remove_image"):
                    fields["featured_image"] = None
                if not fields and tags is None:
                    return
                saved = editing.save_post(
                    post=obj, actor=request.user, expected_version=cleaned["loaded_version"],
                    fields=fields, tags=tags,
                )
            else:
                fields = {name: cleaned[name] for name in content}
                if image:
                    fields["featured_image"] = image
                saved = editing.create_post(
                    author=cleaned.get("author") or request.user, fields=fields, tags=tags or [],
                )
        except Exception:
            # The admin's transaction rolls back the rows; the files are ours to remove.
            form.discard_stored_images()
            raise
        obj.pk, obj.slug, obj.version = saved.pk, saved.slug, saved.version
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change):
        # Tags were saved with the post by blog.editing; only formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and obj.pk:
            if request.method == "POST":
                obj = Post.objects.select_related("author__profile", "featured_image").get(pk=obj.pk)
            context.update(self.review_context(request, obj, form))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, post, form) -> dict:
        events = list(post.events.select_related("actor__profile").order_by("created_at", "pk"))
        base = revisions.baselines(post, events)
        since_submission = revisions.diff_since(base.submitted, post)
        # While the text is with the editor (resubmitted) or back with the author (changes
        # requested), what changed since the editor's last decision is what to read.
        in_review = post.status in {Status.SUBMITTED, Status.CHANGES_REQUESTED}
        since_review = revisions.diff_since(base.reviewed, post) if in_review else None

        transitions = []
        for transition in workflow.allowed_transitions(post, request.user):
            if transition.who != workflow.EDITOR:
                continue
            transitions.append({
                "transition": transition,
                "form": TransitionForm(transition=transition, initial=self._transition_initial(
                    transition, post)),
                "url": reverse("admin:blog_post_transition", args=[post.pk, transition.name]),
            })
        conflict = getattr(form, "conflict", None)
        conflict_diff = None
        if conflict is not None:
            yours = type("Yours", (), {
                "title": form.data.get("title", ""), "intro": form.data.get("intro", ""),
                "body_markdown": form.data.get("body_markdown", ""), "body_html": "",
            })()
            conflict_diff = revisions.word_diff(revisions.text_of(conflict), revisions.text_of(yours))
        return {
            "post": post,
            "status_label": post.status_label(),
            "events": events,
            "since_submission": since_submission,
            "since_submission_changed": bool(since_submission) and revisions.has_changes(since_submission),
            "since_review": since_review,
            "since_review_changed": bool(since_review) and revisions.has_changes(since_review),
            "transitions": transitions,
            "preview_link": absolute_url(preview.preview_url(post)),
            "conflict": conflict,
            "conflict_diff": conflict_diff,
            "conflict_tags": ", ".join(conflict.tags.names()) if conflict is not None else "",
        }

    @staticmethod
    def _transition_initial(transition, post) -> dict:
        if transition.name == "approve":
            return {"publish_at": next_free_slot(exclude_pk=post.pk)}
        if transition.name == "reschedule":
            return {"publish_at": post.publish_at}
        return {}

    # --- workflow steps -----------------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:object_id>/stap/<str:name>/",
                 self.admin_site.admin_view(self.transition_view),
                 name="blog_post_transition"),
        ] + super().get_urls()

    def transition_view(self, request, object_id, name):
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or transition.who != workflow.EDITOR:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        post = get_object_or_404(Post.objects.select_related("author__profile"), pk=object_id)
        change_url = reverse("admin:blog_post_change", args=[post.pk])
        allowed = transition in workflow.allowed_transitions(post, request.user)
        if request.method == "POST":
            form = TransitionForm(request.POST, transition=transition)
            if form.is_valid():
                try:
                    self.perform(transition.name, post, request.user, form.cleaned_data)
                except (workflow.WorkflowError, PermissionDenied) as exc:
                    form.add_error(None, workflow_error_text(exc))
                else:
                    self.message_user(request, SUCCESS[name] % {
                        "title": post.title, "when": local(post.publish_at)}, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            form = TransitionForm(transition=transition,
                                  initial=self._transition_initial(transition, post))
        if not allowed:
            form.add_error(None, _("“%(action)s” kan niet bij een bericht met status “%(status)s”.")
                           % {"action": transition.label, "status": post.get_status_display()})
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: {post.title}",
            "opts": self.opts, "post": post, "form": form, "transition": transition,
            "allowed": allowed, "change_url": change_url, "status_label": post.status_label(),
        }
        return TemplateResponse(request, "admin/blog/post/transition.html", context)

    @staticmethod
    def perform(name, post, actor, data):
        if name == "approve":
            return workflow.approve(post=post, actor=actor, publish_at=data["publish_at"],
                                    note=data.get("note", ""))
        if name == "reschedule":
            return workflow.reschedule(post=post, actor=actor, publish_at=data["publish_at"])
        return getattr(workflow, name)(post=post, actor=actor, note=data.get("note", ""))

    # --- bulk actions -------------------------------------------------------------------
    @staticmethod
    def _in_order(queryset):
        return sorted(
            queryset.select_related("author__profile", "series"),
            key=lambda p: (p.series_id is None, p.series_id or 0,
                           p.series_position is None, p.series_position or 0,
                           p.submitted_at or p.created_at, p.pk),
        )

    @admin.action(description=gettext_lazy("Goedkeuren en inplannen op de eerstvolgende vrije plekken"))
    def approve_and_schedule(self, request, queryset):
        posts = self._in_order(queryset)
        source = workflow.TRANSITIONS["approve"].sources
        wrong = [p for p in posts if p.status not in source]
        if wrong:
            self.message_user(request, _(
                "Niets ingepland: deze berichten kunnen niet worden goedgekeurd vanuit hun "
                "status: %(posts)s.") % {"posts": "; ".join(
                    f"“{p.title}” ({p.status_label()})" for p in wrong)}, messages.ERROR)
            return None
        slots = free_slots(len(posts), exclude_pks=[p.pk for p in posts])
        try:
            with transaction.atomic():
                for post, slot in zip(posts, slots, strict=True):
                    workflow.approve(post=post, actor=request.user, publish_at=slot)
        except (workflow.WorkflowError, PermissionDenied) as exc:
            self.message_user(request, _("Niets ingepland: %(why)s") % {
                "why": workflow_error_text(exc)}, messages.ERROR)
            return None
        self.message_user(request, _("Goedgekeurd en ingepland: %(posts)s.") % {
            "posts": "; ".join(f"“{p.title}” op {local(p.publish_at)}" for p in posts)},
            messages.SUCCESS)
        return None

    @admin.action(description=gettext_lazy("Aanpassingen vragen (één toelichting voor allemaal)"))
    def request_changes_bulk(self, request, queryset):
        posts = self._in_order(queryset)
        wrong = [p for p in posts if p.status not in workflow.TRANSITIONS["request_changes"].sources]
        if wrong:
            self.message_user(request, _(
                "Je kunt alleen aanpassingen vragen bij ingediende berichten. Niet ingediend: "
                "%(posts)s.") % {"posts": "; ".join(f"“{p.title}”" for p in wrong)},
                messages.ERROR)
            return None
        form = BulkNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    for post in posts:
                        workflow.request_changes(post=post, actor=request.user,
                                                 note=form.cleaned_data["note"])
            except (workflow.WorkflowError, PermissionDenied) as exc:
                form.add_error(None, workflow_error_text(exc))
            else:
                self.message_user(request, _(
                    "Aanpassingen gevraagd bij %(n)s bericht(en); de auteurs krijgen je toelichting.")
                    % {"n": len(posts)}, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Aanpassingen vragen"),
            "opts": self.opts, "posts": posts, "form": form,
            "action": "request_changes_bulk", "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/blog/post/bulk_request_changes.html", context)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "body_markdown"]
    fields = ["title", "slug", "body_markdown", "is_published"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body_markdown":
            kwargs["widget"] = MarkdownEditor
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        form.base_fields["slug"].help_text = _("Leeg laten: wordt gemaakt uit de titel.")
        return form

