"""Form fields for choosing a trend (the pitch form, the desk, the admin)."""

from django import forms

from trends.models import Trend


def trend_label(trend: Trend) -> str:
    """A trend named with its year: 2010's "1." and 2026's "1." must not look alike."""
    return f"{trend.trend_list.year} · {trend.number}. {trend.title}"


class TrendChoiceField(forms.ModelChoiceField):
    """Names the year too (`trend_label`); give it `trend_queryset()` (one query)."""

    def label_from_instance(self, obj):
        return trend_label(obj)


def trend_queryset():
    return Trend.objects.select_related("trend_list").order_by("-trend_list__year", "number")
