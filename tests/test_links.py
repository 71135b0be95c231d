"""`{% link %}` and `cached_reverse` (core/links.py): the addresses `{% url %}` would give,
also for a site mounted under a path (SCRIPT_NAME), and a swapped URL conf in tests."""

from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from core.links import cached_reverse


def render(source: str) -> str:
    return engines["django"].from_string(source).render({})


def test_the_same_addresses_as_url():
    assert render("{% load links %}{% link 'blog:archive' %}") == reverse("blog:archive")
    assert render("{% load links %}{% link 'blog:archive-year' 2010 %}") == "/archief/2010/"
    assert cached_reverse("blog:post", 2010, "12", "terugblik") == reverse(
        "blog:post", kwargs={"year": 2010, "month": "12", "slug": "terugblik"})


def test_a_site_under_a_path_gets_its_prefix_and_the_root_site_does_not():
    try:
        set_script_prefix("/welzijn/")
        assert render("{% load links %}{% link 'blog:feed' %}") == "/welzijn/feed/"
    finally:
        set_script_prefix("/")
    assert render("{% load links %}{% link 'blog:feed' %}") == "/feed/"


def test_a_swapped_url_conf_is_not_answered_from_the_old_one():
    assert cached_reverse("blog:archive") == "/archief/"
    with override_settings(ROOT_URLCONF="tests.urls_elsewhere"):
        assert cached_reverse("blog:archive") == "/elders/archief/"
    assert cached_reverse("blog:archive") == "/archief/"
