"""Form fields for choosing a trend (the pitch form, the desk, the admin)."""

from django import forms

from trends.models import Trend


class TrendChoiceField(forms.ModelChoiceField):
    """Names the year too: 2010's "1." and 2026's "1." must not look alike."""

    def label_from_instance(self, obj):
        return f"{obj.trend_list.year} · {obj.number}. {obj.title}"


def trend_queryset():
    return Trend.objects.select_related("trend_list").order_by("-trend_list__year", "number")
