"""WordPress import bookkeeping (issue 6): what came from where, and where old links go.

`WordPressItem` remembers every author, post, page, attachment and comment an import brought
in, keyed by the WordPress site and the item's id there, so a second run of the same export
creates nothing new. A row outlives its object (SET_NULL): a post the editor deleted after
the import is not brought back by the next run.

`LegacyRedirect` maps an old WordPress path to a post or page; `blog.middleware` answers it
with a 301 when the new site has nothing at that path.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WordPressItem(models.Model):
    class Kind(models.TextChoices):
        AUTHOR = "author", _("auteur")
        POST = "post", _("bericht")
        PAGE = "page", _("pagina")
        ATTACHMENT = "attachment", _("bijlage")
        COMMENT = "comment", _("reactie")

    # The WordPress site without its scheme ("welzijn.example.org"): ids are only unique there.
    site = models.CharField(_("WordPress-site"), max_length=200)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    # The WordPress id (post, attachment, comment) or, for an author, the login name.
    key = models.CharField(_("WordPress-id"), max_length=200)
    guid = models.CharField(_("guid"), max_length=500, blank=True)
    title = models.CharField(_("titel"), max_length=255, blank=True)
    url = models.CharField(_("oude adres"), max_length=500, blank=True)
    meta = models.JSONField(_("gegevens"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("gebruiker"),
    )
    post = models.ForeignKey(
        "blog.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("bericht"),
    )
    page = models.ForeignKey(
        "blog.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("pagina"),
    )
    image = models.ForeignKey(
        "blog.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("afbeelding"),
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reactie"),
    )
    imported_at = models.DateTimeField(_("geïmporteerd"), default=timezone.now)

    class Meta:
        verbose_name = _("WordPress-item")
        verbose_name_plural = _("WordPress-items")
        ordering = ["site", "kind", "imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "key"], name="wpitem_site_kind_key"),
        ]
        indexes = [
            models.Index(fields=["kind", "guid"], name="wpitem_kind_guid_idx"),
        ]

    def __str__(self):
        return f"{self.site} {self.get_kind_display()} {self.key}"


class LegacyRedirect(models.Model):
    """An old WordPress address (path, or `/?p=123`) that now lives at a post or a page."""

    old_path = models.CharField(_("oud pad"), max_length=500, unique=True)
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, null=True, blank=True,
        related_name="legacy_redirects", verbose_name=_("bericht"),
    )
    page = models.ForeignKey(
        "blog.Page", on_delete=models.CASCADE, null=True, blank=True,
        related_name="legacy_redirects", verbose_name=_("pagina"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("oude link")
        verbose_name_plural = _("oude links")
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, page__isnull=True)
                | Q(post__isnull=True, page__isnull=False),
                name="legacyredirect_one_target",
            ),
        ]

    def __str__(self):
        return self.old_path

    @property
    def target(self):
        return self.post if self.post_id else self.page
