"""Post cards, rendered once per version of what they show (issue 11).

A card (title, date, author, series, picture, summary, tags) is the most repeated piece of
the reader's site: ten on every list page, the same post's card on the home page, its tags'
pages, its author's page and its month. The page cache keeps whole pages, but any write
(a comment approved anywhere, another post edited) starts every page afresh; a card only
changes when its own post, or one of the few things it names, changes. So a list page that
renders gets its posts' versions in one narrow query (no joins) and takes the cards it has
already made from the card cache; only the others are loaded (with their joins and tags)
and rendered.

What a card's key holds, so an old card is never shown:
- the post's `updated_at` (every save of its text, title, summary, picture or series, and
  every change to its tags touches it: blog/caching.py) and `publish_at` (the workflow
  sets the date without touching `updated_at`);
- a generation token renewed on every save or delete of what a card names besides the
  post: author names and profiles, series, images and tags, and after `migrate` (new
  code). The token lives in the page cache's store (Redis, or files), so a write on one
  node reaches every node.

Where: the "cards" cache alias, local memory in each process (a card is a few hundred bytes
and costs a millisecond to make: a network round trip per card would cost as much). A
search result is never cached: its snippet depends on the words searched for.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core import dates, pagecache
from core.links import cached_reverse

ALIAS = "cards"
GENERATION_KEY = "card:generation"
CARD_SIZES = "(max-width: 42rem) 100vw, 42rem"
# Card fields read from the version query: the columns of the key.
VERSION_FIELDS = ("pk", "updated_at", "publish_at")


@dataclass(frozen=True)
class Card:
    """A rendered card: `heading` is the linked title, `body` everything under it."""

    pk: int
    heading: SafeString
    body: SafeString


def picture_html(image, alt, width=800, sizes=CARD_SIZES, css_class="", loading="lazy"):
    """The <img> of `{% picture %}` (templates/includes/picture.html), for Python callers."""
    if not image:
        return ""
    srcset = image.srcset
    return format_html(
        '<img src="{}"{} alt="{}" width="{}" height="{}" loading="{}" decoding="async"{}>',
        image.url_for(width),
        format_html(' srcset="{}" sizes="{}"', srcset, sizes) if srcset else "",
        alt, image.width, image.height, loading or "lazy",
        format_html(' class="{}"', css_class) if css_class else "",
    )


def render(post) -> Card:
    """One post's card, from a post loaded by `for_listing()` (or `for_reading()`).

    Every string goes through gettext, every value through escaping (`format_html`).
    """
    author = post.author
    profile = getattr(author, "profile", None)
    byline = (format_html('<a href="{}">{}</a>', profile.get_absolute_url(),
                          profile.display_name)
              if profile else escape(author.display_name))
    series = ""
    if post.series_id:
        part = (format_html(" ({})", gettext("deel %(n)s") % {"n": post.series_position})
                if post.series_position else "")
        series = format_html('· <a href="{}">{}</a>{}', post.series.get_absolute_url(),
                             post.series.title, part)
    tags = post.tag_list
    tag_list = ""
    if tags:
        tag_list = format_html(
            '\n  <ul class="tags" aria-label="{}">{}</ul>', gettext("Tags"),
            format_html_join("", '<li><a href="{}">{}</a></li>',
                             ((tag_url(tag.slug), tag.name) for tag in tags)),
        )
    # A search result shows the words around the match (a SafeString with <mark>s, built by
    # blog.search from escaped text) instead of the summary.
    snippet = getattr(post, "snippet", "")
    summary = (format_html('<p class="summary snippet">{}</p>', snippet) if snippet
               else format_html('<p class="summary">{}</p>', post.summary))
    image = ""
    if post.featured_image_id:
        image = picture_html(post.featured_image, post.featured_image_alt, 800, CARD_SIZES,
                             "post-card-image")
    return Card(
        pk=post.pk,
        heading=format_html('<a href="{}">{}</a>', post.get_absolute_url(), post.title),
        body=format_html(
            '  <p class="meta">\n'
            '    <time datetime="{iso}">{day}</time>\n'
            '    · {by} {byline}\n'
            '    {series}\n'
            '  </p>\n'
            '  {image}\n'
            '  {summary}{tags}\n',
            iso=dates.iso(post.publish_at), day=dates.day(post.publish_at),
            by=gettext("door"), byline=byline, series=series, image=image,
            summary=summary, tags=tag_list,
        ),
    )


def tag_url(slug: str) -> str:
    return cached_reverse("blog:tag", slug)


# --- the cache ------------------------------------------------------------------------------

def enabled() -> bool:
    return settings.CARD_CACHE and ALIAS in settings.CACHES


def _key(token: str, pk, updated_at, publish_at) -> str:
    return f"card:{token}:{pk}:{updated_at.timestamp()}:{publish_at.timestamp()}"


_renew_pending = False


def generation() -> str | None:
    """The current token, or None when the shared store does not answer (cards are then
    rendered every time, and kept nowhere). A renewal this process could not store (the
    store was down when it wrote) is made first: writes during an outage are not lost."""
    if _renew_pending:
        _renew()
        if _renew_pending:
            return None
    store = caches[pagecache.ALIAS]
    try:
        found = pagecache.token(GENERATION_KEY)
    except Exception:  # noqa: BLE001 (a failing store: render, as without a cache)
        return None
    # The resilient Redis cache (core.cache) answers a miss when Redis is down: no token then.
    return found if getattr(store, "available", True) else None


def changed() -> None:
    """Something a card names besides its post changed: every card is made afresh.

    Renewed at once and again after the commit, as the page cache's generation: a card made
    from the data before the commit, stored in between, is under the middle token."""
    _renew()
    transaction.on_commit(_renew, robust=True)


def _renew() -> None:
    global _renew_pending
    store = caches[pagecache.ALIAS]
    try:
        store.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        # The resilient Redis cache (core.cache) swallows the error and opens its breaker.
        stored = getattr(store, "available", True)
    except Exception:  # noqa: BLE001 (the page cache's own health check logs the outage)
        stored = False
    _renew_pending = not stored
    if _renew_pending and enabled():
        caches[ALIAS].clear()  # this process at least never shows an old card


def for_page(queryset, ids) -> list:
    """The cards of a list page, in list order: `queryset` (live posts, ordered, loaded by
    `for_listing()`) restricted to `ids` (a subquery of the page's ids).

    One narrow query for the posts' versions; the posts whose cards are not in the cache
    are then loaded (two queries: the rows and their tags) and their cards stored.
    """
    token = generation() if enabled() else None
    if token is None:
        return [render(post) for post in queryset.filter(pk__in=ids)]
    versions = list(queryset.filter(pk__in=ids).select_related(None).prefetch_related(None)
                    .values_list(*VERSION_FIELDS))
    keys = {pk: _key(token, pk, updated, published) for pk, updated, published in versions}
    store = caches[ALIAS]
    found = store.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in found]
    made = {}
    if missing:
        fresh = {}
        for post in queryset.filter(pk__in=missing):
            made[post.pk] = render(post)
            # Under the version it was made from (it may be newer than the first query's).
            fresh[_key(token, post.pk, post.updated_at, post.publish_at)] = made[post.pk]
        store.set_many(fresh)
    cards = []
    for pk in keys:
        card = made.get(pk) or found.get(keys[pk])
        if card is not None:  # a post that went away between the two queries
            cards.append(card)
    return cards


def card(post) -> Card:
    """One post's card (a trend's posts, a search result), from the cache when it can."""
    if getattr(post, "snippet", "") or not enabled() or post.publish_at is None:
        return render(post)
    token = generation()
    if token is None:
        return render(post)
    key = _key(token, post.pk, post.updated_at, post.publish_at)
    store = caches[ALIAS]
    found = store.get(key)
    if found is None:
        found = render(post)
        store.set(key, found)
    return found


# --- what renews the token --------------------------------------------------------------------

def _on_save(sender, instance, created=False, update_fields=None, **kwargs):
    label = sender._meta.label_lower
    if created and label != "accounts.authorprofile":
        return  # no card names it yet: the post that takes it up is saved itself
    if label == "accounts.user" and set(update_fields or ["*"]) <= {"last_login", "password"}:
        return  # a login or a new password shows nowhere
    changed()


def _on_delete(sender, **kwargs):
    changed()


def _migrated(sender, **kwargs):
    changed()


def connect() -> None:
    """Called from BlogConfig.ready(): what a card names besides its own post."""
    from django.apps import apps
    from taggit.models import Tag

    from accounts.models import AuthorProfile, User
    from blog.models import Image, Series

    for model in (User, AuthorProfile, Series, Image, Tag):
        label = model._meta.label_lower
        post_save.connect(_on_save, sender=model, dispatch_uid=f"cards:{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"cards:{label}:delete")
    post_migrate.connect(_migrated, sender=apps.get_app_config("blog"),
                         dispatch_uid="blog.cards.migrated")


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    # Cards hold addresses, dates and words that settings shape (tests change them). New
    # CACHES start empty by themselves.
    if setting != "CACHES" and enabled():
        caches[ALIAS].clear()
