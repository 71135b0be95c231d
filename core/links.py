"""`{% link %}`: addresses that never change while the process runs, reversed once.

`{% url %}` resolves the pattern again on every call: a page header and footer hold twenty
of them, the same on every page, and reversing them cost a tenth of a home page that
renders (issue 11). `cached_reverse` keeps each answer per view name, arguments, URL conf
and script prefix (the part of the address in front of the site, the same for every
request of a deployment), and forgets them all when a test swaps the URL conf.

    {% load links %}<a href="{% link 'blog:archive' %}">…</a>
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=8192)
def _reverse(viewname: str, args: tuple, urlconf, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)


def cached_reverse(viewname: str, *args) -> str:
    """`reverse(viewname, args=args)`, kept: for addresses of things that do not move."""
    return _reverse(viewname, args, get_urlconf(), get_script_prefix())


@register.simple_tag
def link(viewname: str, *args) -> str:
    return cached_reverse(viewname, *args)


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
