"""`{% picture %}` and `{% post_card %}`.

A post card is the most repeated piece of the reader's site (ten on every list page), so it
is written here in Python rather than as an included template: the profile showed that
including and resolving a template per card cost a third of the home page (issue 11). The
markup is what templates/includes/post_card.html used to hold; every string still goes
through gettext, every value through escaping (`format_html`).
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext

from core import dates

register = template.Library()

CARD_SIZES = "(max-width: 42rem) 100vw, 42rem"


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


@register.inclusion_tag("includes/picture.html")
def picture(image, alt, width=800, sizes=CARD_SIZES, css_class="", loading="lazy"):
    """A responsive <img> from an Image's renditions; alt text is required by the forms.

    `loading="eager"` for the picture at the top of a page (it is what the reader sees first).
    """
    return {"image": image, "alt": alt, "src": image.url_for(width) if image else "",
            "sizes": sizes, "css_class": css_class, "loading": loading}


@lru_cache(maxsize=4096)
def tag_url(slug: str) -> str:
    # Tags repeat on every card; their addresses never change while the process runs.
    return reverse("blog:tag", args=[slug])


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        tag_url.cache_clear()


@register.simple_tag
def post_card(post, heading_level=2):
    """One post in a list: title, date, author, series, picture, summary, tags.

    Pass heading_level=3 where the list sits under an <h2>.
    """
    level = int(heading_level or 2)
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
    tags = list(post.tags.all())
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
    return format_html(
        '<article class="post-card">\n'
        '  <h{level} class="post-card-title"><a href="{url}">{title}</a></h{level}>\n'
        '  <p class="meta">\n'
        '    <time datetime="{iso}">{day}</time>\n'
        '    · {by} {byline}\n'
        '    {series}\n'
        '  </p>\n'
        '  {image}\n'
        '  {summary}{tags}\n'
        '</article>\n',
        level=level, url=post.get_absolute_url(), title=post.title,
        iso=dates.iso(post.publish_at), day=dates.day(post.publish_at),
        by=gettext("door"), byline=byline, series=series, image=image,
        summary=summary, tags=tag_list,
    )
