"""Dates as the reader's pages print them, made without the template engine's date filter.

A post page prints two dates per comment and a list two per post card; Django's general
`date` filter (format parsing, a translation lookup per letter) was a tenth of a post page.
These give exactly what `|date:"j F Y"` and `|date:"j F Y, H:i"` give, in Amsterdam time.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS


def day(moment: datetime) -> str:
    """'6 december 2010' (`j F Y`), in the current time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month]} {local.year}"


def day_and_time(moment: datetime) -> str:
    """'6 december 2010, 07:00' (`j F Y, H:i`)."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month]} {local.year}, {local:%H:%M}"


def iso(moment: datetime) -> str:
    """The machine-readable form for <time datetime> (`c`), in the current time zone."""
    return timezone.localtime(moment).isoformat()
