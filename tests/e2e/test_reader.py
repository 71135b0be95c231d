"""The reader's site in a real browser: home, a post, the series page and the trend list.

Each page is opened at desktop and at phone size; it must load without console errors or
off-site requests, pass the accessibility smoke check, fit the screen without sideways
scrolling, and leave a screenshot under the test's temporary directory.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import include, path, re_path
from django.utils import timezone
from django.views.static import serve

from tests.e2e.a11y import assert_accessible
from tests.factories import (
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    TrendFactory,
    TrendListFactory,
)
from tests.reader_world import give_photo, stored_image

pytestmark = pytest.mark.django_db(transaction=True)


def media(request, path):
    # Uploaded pictures, from the per-test MEDIA_ROOT (production leaves /media/ to the proxy).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The site's own URLs plus /media/, so the browser can load the pictures it is shown.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    path("", include("welzijn.urls")),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def site(settings):
    settings.ROOT_URLCONF = __name__
    now = timezone.now()
    trend_list = TrendListFactory(year=2010, title="Trends welzijnswerk 2010",
                                  intro="Elf voorspellingen voor het welzijnswerk.")
    trends = [
        TrendFactory(trend_list=trend_list, number=n, title=f"Trend {n}: iets over de wijk",
                     outcome=["came_true", "partly", "did_not", "open"][n % 4],
                     outcome_note="Zo ging het." if n % 4 else "")
        for n in range(1, 12)
    ]
    series = SeriesFactory(title="11 Gastbloggers blikken terug op 2010",
                           intro="Elf gastbloggers blikken terug op de trends van 2010.")
    parts = []
    for n in range(1, 12):
        guest = GuestFactory()
        factory = LivePostFactory if n <= 4 else ScheduledPostFactory
        when = now - timedelta(days=10 - n) if n <= 4 else now + timedelta(days=n)
        parts.append(factory(
            author=guest, title=f"Gastblog {n}: terugblik op trend {n}", series=series,
            series_position=n, trend=trends[n - 1], publish_at=when,
            intro=f"Vandaag gastblog {n} van de 11.",
            body_markdown="## Wat er gebeurde\n\nEen alinea over de praktijk.\n\n"
                          "- eerste punt\n- tweede punt",
            tags=["terugblik", "welzijn"],
        ))
    post = parts[2]
    give_photo(post.author.profile)
    post.featured_image = stored_image("bijeenkomst.jpg")
    post.featured_image_alt = "Een zaal vol welzijnswerkers"
    post.save()
    PostFactory(title="Een concept dat niemand ziet", series=series)
    return {"post": post, "series": series, "parts": parts}


PAGES = {
    "home": lambda site: "/",
    "post": lambda site: site["post"].get_absolute_url(),
    "series": lambda site: site["series"].get_absolute_url(),
    "trends": lambda site: "/trends/2010/",
}
HEADINGS = {
    "home": "Nieuwste berichten",
    "post": "Gastblog 3: terugblik op trend 3",
    "series": "11 Gastbloggers blikken terug op 2010",
    "trends": "Trends welzijnswerk 2010",
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_reader_page_in_a_browser(page, site, screenshot, name, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    response = page.goto(PAGES[name](site))
    assert response.status == 200
    assert page.locator("h1").inner_text() == HEADINGS[name]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        "the page scrolls sideways"
    broken = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert not broken, f"images that did not load: {broken}"
    assert_accessible(page)
    screenshot(page, f"{name}-{viewport}")
    page.problems.assert_clean()


def test_a_post_shows_its_pictures_and_leads_through_the_series(page, site):
    post, parts = site["post"], site["parts"]
    page.goto(post.get_absolute_url())
    featured = page.get_by_role("img", name="Een zaal vol welzijnswerkers")
    featured.scroll_into_view_if_needed()
    assert featured.evaluate("img => img.naturalWidth") > 0
    photo = page.get_by_role("img", name=f"Foto van {post.author.profile.display_name}")
    photo.scroll_into_view_if_needed()
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert "deel 3 van 11" in page.locator(".series-nav").inner_text()

    page.locator(".series-nav a[rel=next]").click()
    assert page.locator("h1").inner_text() == parts[3].title
    # Part 4 is the last one out: the next is announced by date, never linked.
    assert page.locator(".series-nav a[rel=next]").count() == 0
    assert "Het volgende deel verschijnt op" in page.locator(".series-nav").inner_text()
    page.problems.assert_clean()


def test_the_series_page_links_only_what_is_out(page, site):
    page.goto(site["series"].get_absolute_url())
    rows = page.locator("ol.schedule > li")
    assert rows.count() == 11
    assert rows.nth(0).locator("a").first.inner_text() == site["parts"][0].title
    assert rows.nth(6).locator("a").count() == 0
    assert "verschijnt op" in rows.nth(6).inner_text()
    assert "Een concept dat niemand ziet" not in page.content()
    page.problems.assert_clean()


def test_keyboard_first_stop_is_the_skip_link_and_search_works(page, site):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"

    page.get_by_role("link", name="Zoeken").first.click()
    page.get_by_label("Zoekterm").fill("terugblik")
    page.get_by_label("Zoekterm").press("Enter")
    assert "4 resultaten voor “terugblik”" in page.locator(".search-count").inner_text()
    assert_accessible(page)
    page.problems.assert_clean()


def test_the_other_reader_pages_pass_the_smoke_check(page, site, screenshot):
    post = site["parts"][0]
    published = timezone.localtime(post.publish_at)
    for name, url in [
        ("tag", "/tag/terugblik/"),
        ("author", post.author.profile.get_absolute_url()),
        ("archive", "/archief/"),
        ("archive-month", f"/archief/{published:%Y}/{published:%m}/"),
        ("trend", "/trends/2010/2/"),
        ("trend-index", "/trends/"),
        ("search", "/zoeken/?q=praktijk"),
        ("not-found", "/bestaat-niet/"),
    ]:
        response = page.goto(url)
        assert response.status == (404 if name == "not-found" else 200), url
        assert_accessible(page)
        screenshot(page, name)
    # The 404 itself is the one console error a browser reports here; nothing else is.
    assert all("404" in error for error in page.problems.console_errors)
    page.problems.console_errors.clear()
    page.problems.assert_clean()
