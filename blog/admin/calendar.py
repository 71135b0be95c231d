"""The calendar page in the admin (/beheer/kalender/?maand=2010-12)."""

import re

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blog.calendar import month_grid

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def calendar_view(request):
    today = timezone.localdate()
    year, month = today.year, today.month
    error = ""
    match = _MONTH.match(request.GET.get("maand", ""))
    if match and 1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 9999:
        year, month = int(match[1]), int(match[2])
    elif request.GET.get("maand"):
        error = _("Die maand begrijp ik niet; je ziet de huidige maand. Gebruik bijvoorbeeld 2010-12.")
    grid = month_grid(year, month, today=today)
    context = {
        **admin.site.each_context(request),
        "title": _("Kalender: %(month)s") % {"month": date_format(grid.first, "F Y")},
        "month": grid,
        "error": error,
        "weekday_names": [_("ma"), _("di"), _("wo"), _("do"), _("vr"), _("za"), _("zo")],
    }
    return TemplateResponse(request, "admin/calendar.html", context)
