"""Trend lists in the admin: trends inline (with their outcome), and "paste a numbered list".

A pasted list such as

    8. Social media is booming: Welzijnswerkers twitteren, bloggen, hyven …

becomes numbered trends (title before the first colon, description after it), shown for
checking before anything is saved. Pasting updates trends that have the same number and
adds the others; it never deletes a trend (posts may point at it).
"""

import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trends.forms import TrendChoiceField, trend_label, trend_queryset
from trends.models import Trend, TrendList

# --- every trend choice in the admin names its year ---------------------------------------

class TrendChoiceAdminMixin:
    """A ModelAdmin (or inline) whose foreign keys to Trend are TrendChoiceFields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Trend:
            return TrendChoiceField(
                queryset=trend_queryset(), required=not db_field.blank,
                label=db_field.verbose_name.capitalize(), help_text=db_field.help_text,
                empty_label=kwargs.get("empty_label", "---------"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TrendFilter(admin.RelatedOnlyFieldListFilter):
    """The list filter on a trend, with the year in each choice (only trends in use)."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).order_by().values(f"{self.field_path}__pk")
        return [(trend.pk, trend_label(trend)) for trend in trend_queryset().filter(pk__in=used)]


_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(.*\S)\s*$")
TITLE_MAX = Trend._meta.get_field("title").max_length


@dataclass
class PastedTrend:
    number: int
    title: str
    description: str
    existing: Trend | None = None

    @property
    def changes_existing(self) -> bool:
        return self.existing is not None and (
            self.existing.title != self.title or self.existing.description != self.description
        )


def parse_numbered_list(text: str) -> list[PastedTrend]:
    """Numbered lines → trends; unnumbered lines continue the previous description.

    Raises ValidationError (Dutch) for text without numbered lines, a number used twice,
    text before the first number, or a title that is too long.
    """
    trends: list[PastedTrend] = []
    errors: list[str] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _NUMBERED.match(line)
        if match:
            head, sep, tail = match[2].partition(":")
            title = head.strip() if sep else match[2].strip()
            trends.append(PastedTrend(int(match[1]), title, tail.strip() if sep else ""))
            if len(title) > TITLE_MAX:
                errors.append(_("Regel %(line)s: de titel is langer dan %(max)s tekens; zet er "
                                "een dubbele punt achter.") % {"line": line_no, "max": TITLE_MAX})
        elif trends:
            last = trends[-1]
            last.description = f"{last.description}\n\n{line}".strip()
        else:
            errors.append(_("Regel %(line)s begint niet met een nummer: “%(text)s”.")
                          % {"line": line_no, "text": line[:60]})
    if not trends and not errors:
        errors.append(_("Ik vind geen genummerde regels. Begin elke trend met een nummer, "
                        "zoals “8. Titel: beschrijving”."))
    numbers = [t.number for t in trends]
    doubles = sorted({n for n in numbers if numbers.count(n) > 1})
    if doubles:
        errors.append(_("Deze nummers komen meer dan eens voor: %(n)s.")
                      % {"n": ", ".join(map(str, doubles))})
    if any(n < 1 for n in numbers):
        errors.append(_("Nummers beginnen bij 1."))
    if errors:
        raise ValidationError(errors)
    return trends


class PasteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Genummerde lijst"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Eén trend per regel: “8. Titel: beschrijving”. Regels zonder "
                               "nummer horen bij de beschrijving erboven."),
        error_messages={"required": gettext_lazy("Plak hier de genummerde lijst.")},
    )

    def clean_text(self):
        self.trends = parse_numbered_list(self.cleaned_data["text"])
        return self.cleaned_data["text"]


class TrendInline(admin.StackedInline):
    model = Trend
    extra = 0
    fields = [("number", "title"), "description", ("outcome", "outcome_note")]
    ordering = ["number"]


@admin.register(TrendList)
class TrendListAdmin(admin.ModelAdmin):
    inlines = [TrendInline]
    list_display = ["year", "title", "trend_count"]
    search_fields = ["title", "intro"]
    change_form_template = "admin/trends/trendlist/change_form.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_trends=Count("trends"))

    @admin.display(description=gettext_lazy("trends"), ordering="n_trends")
    def trend_count(self, trend_list):
        return trend_list.n_trends

    def get_urls(self):
        return [
            path("<int:object_id>/plakken/", self.admin_site.admin_view(self.paste_view),
                 name="trends_trendlist_paste"),
        ] + super().get_urls()

    def paste_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        trend_list = get_object_or_404(TrendList, pk=object_id)
        form = PasteForm(request.POST if request.method == "POST" else None)
        trends = None
        if form.is_bound and form.is_valid():
            existing = {t.number: t for t in trend_list.trends.all()}
            trends = form.trends
            for trend in trends:
                trend.existing = existing.get(trend.number)
            if "save" in request.POST:
                self._save(trend_list, trends)
                self.message_user(request, _(
                    "%(n)s trend(s) opgeslagen in “%(list)s”.")
                    % {"n": len(trends), "list": trend_list}, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:trends_trendlist_change", args=[trend_list.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Genummerde lijst plakken: %(list)s") % {"list": trend_list},
            "opts": self.opts, "original": trend_list, "form": form, "trends": trends,
        }
        return TemplateResponse(request, "admin/trends/trendlist/paste.html", context)

    @staticmethod
    @transaction.atomic
    def _save(trend_list: TrendList, trends: list[PastedTrend]) -> None:
        for pasted in trends:
            Trend.objects.update_or_create(
                trend_list=trend_list, number=pasted.number,
                defaults={"title": pasted.title, "description": pasted.description},
            )
