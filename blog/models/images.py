"""Uploaded pictures, stored only as cleaned renditions (see core/images.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Image(models.Model):
    file = models.FileField(_("bestand"), max_length=255, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    renditions = models.JSONField(default=dict, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="images",
    )
    original_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("afbeelding")
        verbose_name_plural = _("afbeeldingen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name or self.file.name

    def url_for(self, width: int = 800) -> str:
        """The smallest rendition at least `width` wide, or the largest there is."""
        widths = sorted(int(w) for w in self.renditions) or [self.width]
        chosen = next((w for w in widths if w >= width), widths[-1])
        return self.file.storage.url(self.renditions.get(str(chosen), self.file.name))

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def srcset(self) -> str:
        return ", ".join(
            f"{self.file.storage.url(name)} {width}w"
            for width, name in sorted(self.renditions.items(), key=lambda item: int(item[0]))
        )
