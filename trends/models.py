"""The yearly trend list: eleven numbered predictions, later scored by how they turned out.

Their public pages list posts, so `blog` serves them; `get_absolute_url` comes from
`settings.ABSOLUTE_URL_OVERRIDES` (this app may not reverse `blog`'s URLs).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrendList(models.Model):
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), blank=True)

    class Meta:
        verbose_name = _("trendlijst")
        verbose_name_plural = _("trendlijsten")
        ordering = ["-year"]

    def __str__(self):
        return self.title or str(self.year)


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
