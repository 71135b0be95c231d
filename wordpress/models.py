"""WordPress import bookkeeping (issue 6): what came from where, and where old links go.

`WordPressItem` remembers every author, post, page, attachment and comment an import brought
in, keyed by the WordPress site and the item's id there, so a second run of the same export
creates nothing new. A row outlives its object (SET_NULL): a post the editor deleted after
the import is not brought back by the next run.

`LegacyRedirect` maps an old WordPress path to a post, page, tag (what a category or tag
became) or author; `wordpress.middleware` answers it with a 301 when the new site has nothing
at that path.

`WxrImport` is one import started from the admin: the uploaded files (in the site's storage,
so any node's task worker can read them), the dry run's report, the progress of the
background task and the final report.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
    """An old WordPress address (path, or `/?p=123`) that now lives at a post, a page, a tag
    page (`/category/zorg/`, `/?cat=3`) or an author page (`/author/anneke/`)."""

    old_path = models.CharField(_("oud pad"), max_length=500, unique=True)
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, null=True, blank=True,
        related_name="legacy_redirects", verbose_name=_("bericht"),
    )
    page = models.ForeignKey(
        "blog.Page", on_delete=models.CASCADE, null=True, blank=True,
        related_name="legacy_redirects", verbose_name=_("pagina"),
    )
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("tag"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    TARGETS = ("post", "page", "tag", "author")

    class Meta:
        verbose_name = _("oude link")
        verbose_name_plural = _("oude links")
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, page__isnull=True, tag__isnull=True, author__isnull=True)
                    | Q(post__isnull=True, page__isnull=False, tag__isnull=True,
                        author__isnull=True)
                    | Q(post__isnull=True, page__isnull=True, tag__isnull=False,
                        author__isnull=True)
                    | Q(post__isnull=True, page__isnull=True, tag__isnull=True,
                        author__isnull=False)
                ),
                name="legacyredirect_one_target",
            ),
        ]

    def __str__(self):
        return self.old_path

    @property
    def target(self):
        for name in self.TARGETS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    def target_url(self) -> str:
        if self.post_id:
            return self.post.get_absolute_url()
        if self.page_id:
            return self.page.get_absolute_url()
        if self.tag_id:
            return reverse("blog:tag", kwargs={"slug": self.tag.slug})
        return self.author.profile.get_absolute_url()


def _import_folder(instance, filename: str) -> str:
    # A random folder per import: the file is never guessable from its name.
    return f"wordpress-import/{instance.token}/{filename[-100:]}"


class WxrImport(models.Model):
    """One import from the admin: upload → dry run (report) → import (progress, report)."""

    class State(models.TextChoices):
        CHECKING = "checking", _("proefrun bezig")
        CHECKED = "checked", _("proefrun klaar")
        IMPORTING = "importing", _("import bezig")
        DONE = "done", _("geïmporteerd")
        FAILED = "failed", _("mislukt")

    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    wxr_file = models.FileField(_("WXR-bestand"), upload_to=_import_folder, max_length=300)
    media_zip = models.FileField(_("zip met uploads"), upload_to=_import_folder, max_length=300,
                                 blank=True)
    original_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    state = models.CharField(_("stand"), max_length=12, choices=State.choices,
                             default=State.CHECKING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("gestart door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), auto_now=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    # Progress of the task that runs now: items done of the total (0: not known yet).
    done = models.PositiveIntegerField(_("verwerkt"), default=0)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    phase = models.CharField(_("stap"), max_length=200, blank=True)
    dry_run_report = models.JSONField(_("verslag van de proefrun"), default=dict, blank=True)
    report = models.JSONField(_("verslag"), default=dict, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)

    class Meta:
        verbose_name = _("WordPress-import")
        verbose_name_plural = _("WordPress-imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name or str(self.token)

    @property
    def running(self) -> bool:
        return self.state in {self.State.CHECKING, self.State.IMPORTING}

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.done / self.total)) if self.total else None
