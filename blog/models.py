"""Posts, series, static pages and the post timeline.

Visibility has one definition: `Post.objects.live()` (approved and `publish_at <= now`).
Status is only ever assigned by `blog/workflow.py`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from core import content
from core.links import cached_reverse
from core.slugs import unique_slug


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    CHANGES_REQUESTED = "changes_requested", _("Aanpassingen gevraagd")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")

    @classmethod
    def author_editable(cls) -> set[str]:
        """The statuses in which an author may still change the text."""
        return {cls.DRAFT, cls.CHANGES_REQUESTED}


STATUS_LABELS = dict(Status.choices)


class Series(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    intro = models.TextField(_("inleiding"), blank=True)
    trend_list = models.ForeignKey(
        "trends.TrendList",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("trendlijst"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Series, self.title, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("blog:series", self.slug)


# A list's posts get their tags in one query as a plain list (`Post.tag_list`). Prefetching
# `tags` itself builds a taggit queryset per post only to hold the result: a third of the
# CPU time of a home page went there.
TAG_LIST = models.Prefetch("tags", to_attr="prefetched_tags")


class PostQuerySet(models.QuerySet):
    def live(self, now=None):
        """The one definition of public: approved and due. Every public page uses this."""
        return self.filter(
            status=Status.APPROVED, publish_at__lte=now or timezone.now()
        )

    def scheduled(self, now=None):
        """Approved but not yet due: may be announced (date, title, author), never shown."""
        return self.filter(status=Status.APPROVED, publish_at__gt=now or timezone.now())

    def announced(self):
        """Live or scheduled: what a series schedule may name (date, title, author only)."""
        return self.filter(status=Status.APPROVED, publish_at__isnull=False)

    def series_parts(self, series):
        """A series' announced parts (live or scheduled), in series order.

        What the series schedule and a part's "deel 3 van 11" may name (never the text).
        """
        return self.announced().filter(series=series).order_by(
            models.F("series_position").asc(nulls_last=True), "publish_at", "pk"
        )

    def awaiting_review(self):
        """Submitted and waiting for an editor, the longest waiting first."""
        return self.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")

    def stale_changes(self, days: int, now=None):
        """Changes were requested at least `days` ago and the author has not resubmitted.

        `changes_requested_at` is the latest request (the workflow stores it), so the list is
        a range of one small index; the longest waiting first.
        """
        return self.filter(
            status=Status.CHANGES_REQUESTED,
            changes_requested_at__lte=(now or timezone.now()) - timedelta(days=days),
        ).order_by("changes_requested_at", "pk")

    # The columns a post card shows (blog_tags.post_card): never the bodies.
    LISTING_FIELDS = (
        "id", "title", "slug", "publish_at", "created_at", "updated_at", "summary",
        "featured_image_alt",
        "series_position", "author", "featured_image", "series", "trend",
        "author__username", "author__first_name", "author__last_name",
        "author__profile__display_name", "author__profile__slug",
        "series__title", "series__slug",
    )

    def for_listing(self):
        """What a list of posts renders (a card each), in a fixed number of queries.

        Only the card's columns: the bodies (a thousand words each, three times over) stay in
        the database, and the trend is not joined.
        """
        return (
            self.select_related("author__profile", "featured_image", "series")
            .only(*self.LISTING_FIELDS)
            .prefetch_related(TAG_LIST)
        )

    def for_reading(self):
        """What a whole post renders (its page, a feed item, a preview): everything but the
        Markdown source, in a fixed number of queries."""
        return (
            self.select_related("author__profile", "featured_image", "series", "trend__trend_list")
            .defer("body_markdown")
            .prefetch_related(TAG_LIST)
        )

    def by_author(self, user):
        return self.filter(author=user)


class Post(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("auteur"),
        db_index=False,  # post_author_idx starts with it
    )
    intro = models.TextField(
        _("inleiding van de redactie"),
        blank=True,
        help_text=_("Opent een gastblog: wie de gast is en welke trend hij bespreekt."),
    )
    intro_html = models.TextField(blank=True, editable=False)
    body_markdown = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    excerpt = models.TextField(_("samenvatting"), blank=True, max_length=600)
    # The excerpt, or the first words of the text: derived on save, so no page cleans HTML.
    summary = models.TextField(blank=True, editable=False)
    featured_image = models.ForeignKey(
        "blog.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgelichte afbeelding"),
    )
    featured_image_alt = models.CharField(
        _("alternatieve tekst"),
        max_length=250,
        blank=True,
        help_text=_("Beschrijf wat er op de afbeelding te zien is, voor wie hem niet ziet."),
    )
    tags = TaggableManager(_("tags"), blank=True, through="blog.TaggedPost")
    trend = models.ForeignKey(
        "trends.Trend",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("trend"),
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("reeks"),
    )
    series_position = models.PositiveSmallIntegerField(_("deel"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    publish_at = models.DateTimeField(_("publicatiemoment"), null=True, blank=True)
    announced_at = models.DateTimeField(
        _("live gemeld"), null=True, blank=True, editable=False,
        help_text=_("Wanneer go_live de publicatie heeft afgehandeld."),
    )
    allow_comments = models.BooleanField(_("reacties toestaan"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend"), null=True, blank=True, editable=False)
    # The latest "request changes" (blog/workflow.py sets it): the dashboard's stale list.
    changes_requested_at = models.DateTimeField(
        _("aanpassingen gevraagd op"), null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["intro_html", "summary", "announced_at", "updated_at",
                         "changes_requested_at"],
        cascade_delete_history=True,
    )

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-publish_at", "-created_at"]
        # Each index ends in the list order (newest first: publish_at, created_at, id), so a
        # page of a list is read from the index in order, however many posts there are.
        indexes = [
            # Public lists and feeds: live() is status = approved and publish_at <= now.
            models.Index(fields=["status", "publish_at", "created_at", "id"],
                         name="post_live_idx"),
            # Author pages and feeds.
            models.Index(fields=["author", "status", "publish_at", "created_at", "id"],
                         name="post_author_idx"),
            # The admin's post list (every status).
            models.Index(fields=["publish_at", "created_at", "id"], name="post_publish_idx"),
            # The review queue, the longest waiting first (Post.objects.awaiting_review()).
            models.Index(fields=["status", "submitted_at", "id"], name="post_review_idx"),
            # The dashboard's stale change requests, the longest waiting first (a few rows).
            models.Index(fields=["changes_requested_at", "id"], name="post_changes_idx",
                         condition=models.Q(status=Status.CHANGES_REQUESTED)),
            # go_live and the dashboard's warning: live posts not yet announced (a few).
            models.Index(fields=["status", "publish_at"], name="post_unannounced_idx",
                         condition=models.Q(announced_at__isnull=True)),
        ]

    def __str__(self):
        return self.title

    SOURCE_FIELDS = frozenset({"title", "slug", "intro", "body_markdown", "body_html", "excerpt"})

    def save(self, *args, **kwargs):
        # Derived only from the object's own fields: the sanitised HTML and the slug. A save
        # that touches no text (a workflow step, go-live) does not render and clean again.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self.SOURCE_FIELDS & set(update_fields):
            super().save(*args, **kwargs)
            return
        self.render_text()
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                "body_html", "intro_html", "summary", "slug"}
        super().save(*args, **kwargs)

    def render_text(self) -> None:
        """Derive the stored HTML (rendered and sanitised here, once) and a missing slug from
        the source fields. save() calls it; a bulk import calls it before bulk_create."""
        self.body_html = content.render_markdown(self.body_markdown) if self.body_markdown \
            else content.sanitize_html(self.body_html)
        self.intro_html = content.render_markdown(self.intro)
        self.summary = self.derive_summary()
        if not self.slug:
            self.slug = unique_slug(Post, self.title, instance_pk=self.pk, max_length=200)

    # --- facts computed from stored fields -------------------------------------------------
    def is_live_at(self, now) -> bool:
        return (
            self.status == Status.APPROVED
            and self.publish_at is not None
            and self.publish_at <= now
        )

    @property
    def is_live(self) -> bool:
        return self.is_live_at(timezone.now())

    @property
    def author_can_edit(self) -> bool:
        return self.status in Status.author_editable()

    def status_label(self, now=None) -> str:
        """The status in words, as the author and the editor read it."""
        now = now or timezone.now()
        if self.status == Status.APPROVED and self.publish_at:
            if self.publish_at <= now:
                return str(_("Gepubliceerd"))
            local = timezone.localtime(self.publish_at)
            return str(_("Ingepland voor %(when)s")) % {
                "when": date_format(local, "j F H:i") if local.year == timezone.localtime(now).year
                else date_format(local, "j F Y H:i")
            }
        # Not get_status_display(): it rebuilds the choices' dict on every call (50 rows a list).
        return str(STATUS_LABELS.get(self.status, self.status))

    def derive_summary(self) -> str:
        """What `summary` stores: the excerpt, or the first words of the intro or text."""
        return self.excerpt or content.make_excerpt(self.intro_html or self.body_html)

    @property
    def tag_list(self) -> list:
        """The post's tags: prefetched by `for_listing`/`for_reading`, else one query."""
        prefetched = self.__dict__.get("prefetched_tags")
        return list(self.tags.all()) if prefetched is None else prefetched

    def get_absolute_url(self):
        when = timezone.localtime(self.publish_at or self.created_at)
        return cached_reverse("blog:post", when.year, f"{when.month:02d}", self.slug)

    def comments_open(self, now=None) -> bool:
        if not self.allow_comments:
            return False
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if days and self.publish_at:
            return (now or timezone.now()) < self.publish_at + timedelta(days=days)
        return True


class TaggedPost(TaggedItemBase):
    """A post's tag, with a real foreign key to the post.

    django-taggit's generic TaggedItem keeps the post in an integer `object_id` next to a
    content type; `Post.id` is a bigint, and the cast in every join kept PostgreSQL from
    using the index. Tag pages, feeds and the sitemap join on these two keys.
    """

    content_object = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )
    # The composite index below covers lookups by tag; no second index on tag_id alone.
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_posts", db_index=False
    )

    class Meta:
        verbose_name = _("tag van een bericht")
        verbose_name_plural = _("tags van berichten")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_post_unique")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_post_tag_idx")]


class PostEvent(models.Model):
    """One line of a post's timeline: a transition (from → to), an edit, a go-live."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Statuswijziging")
        EDIT = "edit", _("Bewerking door de redactie")
        LIVE = "live", _("Live gegaan")
        IMPORT = "import", _("Geïmporteerd")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRANSITION)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    action = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    publish_at = models.DateTimeField(null=True, blank=True)
    # The HistoricalPost row holding the text as it was at this event (for diffs).
    history_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.post_id}: {self.from_status} → {self.to_status}"


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(models.Model):
    """A static page at /pagina/<slug>/ (about, workshop, privacy)."""

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    body_markdown = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagina")
        verbose_name_plural = _("pagina's")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def render_text(self) -> None:
        """The sanitised HTML and a missing slug, from the source fields (see Post)."""
        self.body_html = content.render_markdown(self.body_markdown) if self.body_markdown \
            else content.sanitize_html(self.body_html)
        if not self.slug:
            self.slug = unique_slug(Page, self.title, instance_pk=self.pk, max_length=200)

    def get_absolute_url(self):
        return reverse("blog:page", kwargs={"slug": self.slug})


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
