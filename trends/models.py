"""The yearly trend list: eleven numbered predictions, later scored by how they turned out.

Their public pages list posts, so `blog` serves them; `get_absolute_url` comes from
`settings.ABSOLUTE_URL_OVERRIDES` (this app may not reverse `blog`'s URLs).
"""

from django.db import models
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class TrendListQuerySet(models.QuerySet):
    def with_scoreboard(self):
        """Each list with `trend_count` and `count_<outcome>` per outcome, in the same query."""
        return self.annotate(
            trend_count=Count("trends"),
            **{f"count_{value}": Count("trends", filter=Q(trends__outcome=value))
               for value in Trend.Outcome.values},
        )


class TrendList(models.Model):
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), blank=True)

    objects = TrendListQuerySet.as_manager()

    class Meta:
        verbose_name = _("trendlijst")
        verbose_name_plural = _("trendlijsten")
        ordering = ["-year"]

    def __str__(self):
        return self.title or str(self.year)

    @cached_property
    def scoreboard(self) -> list[dict]:
        """[{value, label, count}] per outcome in SCOREBOARD_ORDER, zeros included.

        Reads the counts of `TrendList.objects.with_scoreboard()`; a list fetched without
        them counts its trends in one query of its own.
        """
        annotated = {value: f"count_{value}" for value in Trend.Outcome.values}
        if all(hasattr(self, name) for name in annotated.values()):
            counts = {value: getattr(self, name) for value, name in annotated.items()}
        else:
            counts = dict(
                self.trends.order_by().values_list("outcome").annotate(Count("pk"))
            )
        return [
            {"value": outcome.value, "label": outcome.label, "count": counts.get(outcome.value, 0)}
            for outcome in SCOREBOARD_ORDER
        ]


class Trend(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("Nog open")
        CAME_TRUE = "came_true", _("Uitgekomen")
        PARTLY = "partly", _("Deels uitgekomen")
        DID_NOT = "did_not", _("Niet uitgekomen")

    trend_list = models.ForeignKey(
        TrendList, on_delete=models.CASCADE, related_name="trends", verbose_name=_("trendlijst")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    outcome_note = models.TextField(_("toelichting op de uitkomst"), blank=True)

    class Meta:
        verbose_name = _("trend")
        verbose_name_plural = _("trends")
        ordering = ["trend_list__year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["trend_list", "number"], name="trend_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


# The scoreboard reads as a verdict: what came true first, what is still open last.
SCOREBOARD_ORDER = [Trend.Outcome.CAME_TRUE, Trend.Outcome.PARTLY, Trend.Outcome.DID_NOT,
                    Trend.Outcome.OPEN]
