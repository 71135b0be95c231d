"""Series admin: the series' posts inline in order, and the series planner."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog import editing, workflow
from blog.admin.forms import PlannerForm, VersionedFormMixin
from blog.admin.posts import ConflictRetryMixin, local, reader_url, workflow_error_text
from blog.models import Post, Series
from blog.planner import PlanError, apply_plan, make_plan

MAX_SKIP_ROUNDS = 60


class SeriesPostForm(VersionedFormMixin, forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Post
        fields = ["series_position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_version()
        # A table row has no <label>: the input is named after its post for screen readers.
        if self.instance.pk:
            self.fields["series_position"].widget.attrs["aria-label"] = _(
                "Deel van “%(title)s”") % {"title": self.instance.title}

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            self._check_version(cleaned)
        return cleaned


class SeriesPostFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[int, str] = {}
        for form in self.forms:
            position = form.cleaned_data.get("series_position") if form.cleaned_data else None
            if position is None:
                continue
            if position in seen:
                raise ValidationError(
                    _("Twee berichten hebben deel %(n)s: “%(a)s” en “%(b)s”.")
                    % {"n": position, "a": seen[position], "b": form.instance.title}
                )
            seen[position] = form.instance.title


class SeriesPostInline(admin.TabularInline):
    model = Post
    form = SeriesPostForm
    formset = SeriesPostFormSet
    fields = ["series_position", "post_link", "author_name", "state", "when", "loaded_version"]
    readonly_fields = ["post_link", "author_name", "state", "when"]
    extra = 0
    can_delete = False
    ordering = ["series_position", "pk"]
    verbose_name = gettext_lazy("deel")
    verbose_name_plural = gettext_lazy("berichten in deze reeks (op volgorde)")

    def has_add_permission(self, request, obj=None):
        return False  # a post joins a series from its own page

    def view_on_site(self, post):
        return reader_url(post)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author__profile")

    @admin.display(description=gettext_lazy("bericht"))
    def post_link(self, post):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:blog_post_change", args=[post.pk]), post.title)

    @admin.display(description=gettext_lazy("auteur"))
    def author_name(self, post):
        return post.author.display_name

    @admin.display(description=gettext_lazy("status"))
    def state(self, post):
        return post.status_label()

    @admin.display(description=gettext_lazy("datum"))
    def when(self, post):
        return local(post.publish_at)


@admin.register(Series)
class SeriesAdmin(ConflictRetryMixin, admin.ModelAdmin):
    list_display = ["title", "trend_list", "post_count", "created_at"]
    search_fields = ["title", "intro"]
    fields = ["title", "slug", "intro", "trend_list"]
    inlines = [SeriesPostInline]
    change_form_template = "admin/blog/series/change_form.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("trend_list").annotate(
            n_posts=Count("posts"))

    @admin.display(description=gettext_lazy("berichten"), ordering="n_posts")
    def post_count(self, series):
        return series.n_posts

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].required = False
        form.base_fields["slug"].help_text = _("Leeg laten: wordt gemaakt uit de titel.")
        return form

    def save_formset(self, request, form, formset, change):
        if formset.model is not Post:
            return super().save_formset(request, form, formset, change)
        # Positions are post content: saved through blog.editing with the loaded version.
        for post_form in formset.forms:
            if post_form.has_changed():
                editing.save_post(
                    post=post_form.instance, actor=request.user,
                    expected_version=post_form.cleaned_data["loaded_version"],
                    fields={"series_position": post_form.cleaned_data["series_position"]},
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_urls(self):
        return [
            path("<int:object_id>/inplannen/", self.admin_site.admin_view(self.planner_view),
                 name="blog_series_plan"),
        ] + super().get_urls()

    def planner_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        series = get_object_or_404(Series, pk=object_id)
        plan = None
        form = PlannerForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            plan, form = self._plan(series, form, skip_taken="skip_taken" in request.POST)
            if "confirm" in request.POST and plan is not None:
                try:
                    changed = apply_plan(plan=plan, actor=request.user,
                                         expected_fingerprint=request.POST.get("fingerprint", ""))
                except (PlanError, workflow.WorkflowError, PermissionDenied) as exc:
                    form.add_error(None, workflow_error_text(exc))
                else:
                    self.message_user(request, _(
                        "De reeks is ingepland: %(n)s bericht(en) goedgekeurd of verplaatst, "
                        "van %(first)s tot %(last)s.") % {
                        "n": len(changed),
                        "first": local(plan.rows[0].slot), "last": local(plan.rows[-1].slot)},
                        messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:blog_series_change",
                                                        args=[series.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reeks inplannen: %(title)s") % {"title": series.title},
            "opts": self.opts, "series": series, "form": form, "plan": plan,
            "original": series,
        }
        return TemplateResponse(request, "admin/blog/series/planner.html", context)

    @staticmethod
    def _plan(series, form, *, skip_taken: bool):
        data = form.cleaned_data
        skip = list(data["skip"])
        holidays = data.get("include_holidays", False)
        plan = make_plan(series=series, start=data["start"], weekdays=data["weekdays"],
                         at=data["at"], skip=skip, include_holidays=holidays)
        if not skip_taken or not plan.taken:
            return plan, form
        # Move the series past days other posts already have, until none is left.
        for _round in range(MAX_SKIP_ROUNDS):
            if not plan.taken:
                break
            skip = sorted(set(skip) | set(plan.taken))
            plan = make_plan(series=series, start=data["start"], weekdays=data["weekdays"],
                             at=data["at"], skip=skip, include_holidays=holidays)
        bound = form.data.copy()
        bound["skip"] = "\n".join(day.strftime("%d-%m-%Y") for day in skip)
        new_form = PlannerForm(bound)
        new_form.is_valid()
        return plan, new_form
