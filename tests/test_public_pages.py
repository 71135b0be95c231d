"""The reader's pages: home, a post, tag/author/archive pages, static pages, trends, series."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from blog.models import Status
from tests.factories import (
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PageFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    TrendFactory,
    TrendListFactory,
)
from tests.reader_world import bulk_live_posts, give_photo, parse, sitemap_parts, stored_image

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=7, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def card_titles(page) -> list[str]:
    return [h.text for h in page.find_all(class_="post-card-title")]


# --- home and pagination --------------------------------------------------------------------

def test_home_lists_the_newest_live_posts_ten_a_page(client):
    author = GuestFactory()
    posts = bulk_live_posts(23, authors=[author], tags=[])  # newest first
    titles = [p.title for p in posts]

    first = parse(client.get("/").content)
    assert card_titles(first) == titles[:10]
    assert first.find("a", rel="next").attrs["href"] == "/?pagina=2"
    assert first.find("a", rel="prev") is None

    second = parse(client.get("/?pagina=2").content)
    assert card_titles(second) == titles[10:20]
    assert second.find("a", rel="prev").attrs["href"] == "/"
    assert "pagina 2" in second.find("title").text

    third = parse(client.get("/?pagina=3").content)
    assert card_titles(third) == titles[20:]
    assert third.find("a", rel="next") is None


def test_a_card_names_the_series_and_the_part(client):
    series = SeriesFactory(title="Terugblik <2010> & meer")
    LivePostFactory(title="Deel drie", series=series, series_position=3)
    card = parse(client.get("/").content).find(class_="post-card")
    link = card.find("a", href=series.get_absolute_url())
    assert link.text == "Terugblik <2010> & meer"  # escaped, not markup
    assert "Terugblik <2010> & meer (deel 3)" in " ".join(card.text.split())


@pytest.mark.parametrize("value", ["abc", "0", "-1", "2.5", "4", "last", "1e3", "02", "²", "١",
                                   "99999999999999999999"])
def test_a_page_number_that_does_not_exist_is_a_404(client, value):
    bulk_live_posts(23, authors=[GuestFactory()], tags=[])
    response = client.get(f"/?pagina={value}")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.parametrize("value", ["1", ""])
def test_page_one_redirects_to_the_bare_address(client, value):
    LivePostFactory()
    response = client.get(f"/?pagina={value}")
    assert response.status_code == 301
    assert response["Location"] == "/"


def test_home_without_posts_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Er zijn nog geen berichten." in response.content.decode()


def test_page_links_keep_the_search_query(client):
    bulk_live_posts(12, authors=[GuestFactory()], tags=[])
    page = parse(client.get("/zoeken/?q=welzijn").content)
    assert page.find("a", rel="next").attrs["href"] == "/zoeken/?q=welzijn&pagina=2"
    second = parse(client.get("/zoeken/?q=welzijn&pagina=2").content)
    assert second.find("a", rel="prev").attrs["href"] == "/zoeken/?q=welzijn"


# --- one post -------------------------------------------------------------------------------

@pytest.fixture
def december_series(db):
    """The 2010 December series: eleven parts, four live on 13 December, the rest scheduled."""
    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        trend_list = TrendListFactory(year=2010, title="Trends welzijnswerk 2010")
        trends = [TrendFactory(trend_list=trend_list, number=n, title=f"Trend {n}")
                  for n in range(1, 12)]
        series = SeriesFactory(title="11 Gastbloggers blikken terug op 2010",
                               intro="Elf gastbloggers blikken terug op de trends van 2010.")
        days = [6, 7, 8, 10, 13, 14, 15, 16, 20, 21, 22]
        parts = []
        for n, day in enumerate(days, start=1):
            factory = LivePostFactory if day < 13 else ScheduledPostFactory
            parts.append(factory(
                title=f"Gastblog {n} over trend {n}", series=series, series_position=n,
                trend=trends[n - 1], publish_at=at(2010, 12, day),
                intro=f"Vandaag gastblog {n} van de 11.",
                body_markdown=f"De geheime tekst van deel {n}.",
            ))
        yield {"series": series, "parts": parts, "trends": trends, "trend_list": trend_list}


def test_post_page_shows_the_whole_post(client, december_series, settings):
    post = december_series["parts"][2]
    profile = give_photo(post.author.profile)
    post.featured_image = stored_image("vergadering.jpg")
    post.featured_image_alt = "Vijf mensen rond een tafel"
    post.save()
    post.tags.add("sociale media", "vrijwilligers")

    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        page = parse(client.get(post.get_absolute_url()).content)

    article = page.find("article")
    assert article.find("h1").text == post.title
    assert article.find(class_="intro").text == "Vandaag gastblog 3 van de 11."
    assert "De geheime tekst van deel 3." in article.find(class_="body").text
    image = article.find("figure").find("img")
    assert image.attrs["alt"] == "Vijf mensen rond een tafel"
    assert image.attrs["src"].startswith(settings.MEDIA_URL)
    author_box = article.find(class_="author-box")
    assert author_box.find("h2").text == f"Over {profile.display_name}"
    assert author_box.find("img").attrs["alt"] == f"Foto van {profile.display_name}"
    assert "Welzijnswerker en blogger." in author_box.text
    assert profile.get_absolute_url() in author_box.links()
    assert {"/tag/sociale-media/", "/tag/vrijwilligers/"} <= set(article.links())
    trend_box = article.find(class_="trend-box")
    assert "/trends/2010/3/" in trend_box.links()
    assert "Nog open" in trend_box.text
    nav = article.find(class_="series-nav")
    assert "deel 3 van 11" in nav.text
    assert nav.find("a", rel="prev").attrs["href"] == december_series["parts"][1].get_absolute_url()
    assert nav.find("a", rel="next").attrs["href"] == december_series["parts"][3].get_absolute_url()
    time = article.find("time")
    assert time.attrs["datetime"].startswith("2010-12-08T07:00:00")
    assert time.text == "woensdag 8 december 2010"


def test_last_live_part_announces_the_next_date_but_not_its_title(client, december_series):
    parts = december_series["parts"]
    with time_machine.travel(at(2010, 12, 13, 6), tick=False):  # part 5 is due at 07:00
        page = parse(client.get(parts[3].get_absolute_url()).content)
    nav = page.find(class_="series-nav")
    assert "deel 4 van 11" in nav.text
    assert nav.find("a", rel="next") is None
    assert "Het volgende deel verschijnt op 13 december." in nav.text
    assert parts[4].title not in page.text


def test_a_post_by_someone_without_a_profile_still_renders(client):
    editor = EditorFactory(first_name="Anneke", last_name="Krakers")
    post = LivePostFactory(author=editor)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    page = parse(response.content)
    assert "door Anneke Krakers" in page.find(class_="meta").text
    assert page.find(class_="author-box") is None
    assert not [link for link in page.links() if link.startswith("/auteurs/")]


@pytest.mark.parametrize("wrong", ["/2009/12/{slug}/", "/2010/1/{slug}/", "/2010/12/{slug}/"])
def test_a_post_answers_on_one_address(client, wrong):
    post = LivePostFactory(publish_at=at(2010, 1, 5))
    response = client.get(wrong.format(slug=post.slug))
    assert response.status_code == 301
    assert response["Location"] == f"/2010/01/{post.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_dates_are_amsterdam_dates(client):
    # 23:30 UTC on 30 November is already 1 December in Amsterdam.
    post = LivePostFactory(publish_at=datetime(2010, 11, 30, 23, 30, tzinfo=UTC))
    assert post.get_absolute_url() == f"/2010/12/{post.slug}/"
    time = parse(client.get(post.get_absolute_url()).content).find("article").find("time")
    assert time.attrs["datetime"] == "2010-12-01T00:30:00+01:00"
    assert time.text == "woensdag 1 december 2010"
    assert post.title in client.get("/archief/2010/12/").content.decode()
    assert client.get("/archief/2010/11/").status_code == 404


def test_open_graph_and_canonical_tags(client, settings):
    post = LivePostFactory(title="Sociaal media is Booming", publish_at=at(2010, 12, 6),
                           excerpt="Social media in het welzijnswerk.", tags=["media"])
    post.featured_image = stored_image()
    post.featured_image_alt = "Een telefoon met berichten"
    post.save()
    page = parse(client.get(post.get_absolute_url()).content)

    def meta(prop):
        node = page.find("meta", property=prop) or page.find("meta", name=prop)
        return node.attrs["content"]

    url = f"{settings.SITE_URL}/2010/12/{post.slug}/"
    assert page.find("link", rel="canonical").attrs["href"] == url
    assert meta("og:url") == url
    assert meta("og:type") == "article"
    assert meta("og:title") == "Sociaal media is Booming"
    assert meta("og:description") == meta("description") == "Social media in het welzijnswerk."
    assert meta("og:image").startswith(settings.SITE_URL + settings.MEDIA_URL)
    assert meta("og:image:alt") == "Een telefoon met berichten"
    assert meta("og:locale") == "nl_NL"
    assert meta("article:published_time") == "2010-12-06T07:00:00+01:00"
    assert meta("article:tag") == "media"
    assert page.find("html").attrs["lang"] == "nl"
    assert page.find("meta", name="robots") is None


# --- tags, authors, archives, static pages ----------------------------------------------------

def test_tag_page_lists_live_posts_with_the_tag(client):
    tagged = LivePostFactory(title="Over vrijwilligers", tags=["vrijwilligers"])
    LivePostFactory(title="Iets anders", tags=["media"])
    page = parse(client.get("/tag/vrijwilligers/").content)
    assert card_titles(page) == ["Over vrijwilligers"]
    assert page.find("h1").text == "Berichten met tag “vrijwilligers”"
    assert tagged.get_absolute_url() in page.links()
    feeds = {link.attrs["href"] for link in page.find_all("link", rel="alternate")}
    assert {"/feed/", "/tag/vrijwilligers/feed/", "/tag/vrijwilligers/feed/atom/"} <= feeds


def test_tag_and_author_pages_without_live_posts_are_404(client):
    guest = GuestFactory()
    PostFactory(author=guest, tags=["nog-geheim"])
    ScheduledPostFactory(author=guest, tags=["nog-geheim"])
    assert client.get("/tag/nog-geheim/").status_code == 404
    assert client.get("/tag/bestaat-niet/").status_code == 404
    assert client.get(f"/auteurs/{guest.profile.slug}/").status_code == 404
    assert client.get("/auteurs/bestaat-niet/").status_code == 404


def test_author_page_shows_profile_and_posts(client):
    guest = GuestFactory()
    profile = give_photo(guest.profile)
    profile.website = "https://example.org/hans"
    profile.save()
    mine = LivePostFactory(author=guest, title="Mijn gastblog")
    LivePostFactory(title="Van iemand anders")
    PostFactory(author=guest, title="Mijn concept")
    page = parse(client.get(profile.get_absolute_url()).content)
    assert page.find("h1").text == profile.display_name
    assert page.find("img").attrs["alt"] == f"Foto van {profile.display_name}"
    assert "Welzijnswerker en blogger." in page.text
    assert "https://example.org/hans" in page.links()
    assert "https://example.org/over" in page.links()  # the bio, rendered with its link
    assert card_titles(page) == ["Mijn gastblog"]
    assert page.find(class_="post-card-title").tag == "h3"  # under the page's own <h2>
    assert mine.get_absolute_url() in page.links()
    assert f"/auteurs/{profile.slug}/feed/" in page.links()


def test_year_and_month_archives(client):
    november = LivePostFactory(title="November", publish_at=at(2010, 11, 10))
    december = LivePostFactory(title="December", publish_at=at(2010, 12, 6))
    LivePostFactory(title="Januari", publish_at=at(2011, 1, 3))

    year = parse(client.get("/archief/2010/").content)
    assert card_titles(year) == ["December", "November"]
    assert {"/archief/2010/11/", "/archief/2010/12/"} <= set(year.links())
    assert year.find("title").text == "Archief 2010 · Welzijn Nederland"

    month = parse(client.get("/archief/2010/12/").content)
    assert card_titles(month) == ["December"]
    assert month.find("h1").text == "Archief december 2010"
    assert december.get_absolute_url() in month.links()
    assert november.get_absolute_url() not in month.links()

    index = parse(client.get("/archief/").content)
    assert {"/archief/2010/", "/archief/2011/", "/archief/2011/01/"} <= set(index.links())
    assert "(2 berichten)" in index.text

    for empty in ["/archief/2010/10/", "/archief/2009/", "/archief/2010/13/", "/archief/2010/1/"]:
        assert client.get(empty).status_code == 404, empty


def test_archives_follow_the_amsterdam_calendar(client):
    # 23:30 on New Year's Eve in Amsterdam is already 1 January in UTC, and the other way round.
    late = LivePostFactory(title="Oudejaarsavond", publish_at=at(2010, 12, 31, 23, 30))
    early = LivePostFactory(title="Nieuwjaarsnacht", publish_at=at(2011, 1, 1, 0, 30))
    assert late.publish_at.astimezone(UTC).year == 2010 and early.publish_at.astimezone(UTC).day == 31

    assert card_titles(parse(client.get("/archief/2010/12/").content)) == ["Oudejaarsavond"]
    assert card_titles(parse(client.get("/archief/2011/01/").content)) == ["Nieuwjaarsnacht"]
    year = parse(client.get("/archief/2010/").content)
    assert card_titles(year) == ["Oudejaarsavond"]
    assert year.find("nav", **{"aria-label": "Maanden"}).links() == ["/archief/2010/12/"]
    assert parse(client.get("/archief/2011/").content).find(
        "nav", **{"aria-label": "Maanden"}).links() == ["/archief/2011/01/"]


def test_month_archive_pages_ten_posts_at_a_time(client, settings):
    posts = bulk_live_posts(23, authors=[GuestFactory()], tags=[], start=at(2010, 12, 28))
    titles = [p.title for p in posts]  # 28 back to 6 December, newest first

    first = parse(client.get("/archief/2010/12/").content)
    assert card_titles(first) == titles[:10]
    assert "23 berichten" in first.find(class_="meta").text
    assert first.find("a", rel="next").attrs["href"] == "/archief/2010/12/?pagina=2"
    assert first.find("a", rel="prev") is None
    assert first.find("link", rel="canonical").attrs["href"] == (
        settings.SITE_URL + "/archief/2010/12/")

    second = parse(client.get("/archief/2010/12/?pagina=2&utm_source=x").content)
    assert card_titles(second) == titles[10:20]
    assert second.find("title").text == "Archief december 2010 · pagina 2 · Welzijn Nederland"
    assert second.find("a", rel="prev").attrs["href"] == "/archief/2010/12/?utm_source=x"
    assert second.find("link", rel="canonical").attrs["href"] == (
        settings.SITE_URL + "/archief/2010/12/?pagina=2")
    assert card_titles(parse(client.get("/archief/2010/12/?pagina=3").content)) == titles[20:]

    response = client.get("/archief/2010/12/?pagina=1")
    assert response.status_code == 301
    assert response["Location"] == "/archief/2010/12/"
    for value in ["4", "0", "abc", "02"]:
        assert client.get(f"/archief/2010/12/?pagina={value}").status_code == 404, value


def test_year_archive_lists_every_post_of_the_year_across_its_pages(client):
    november = bulk_live_posts(6, authors=[GuestFactory()], tags=[], start=at(2010, 11, 30),
                               prefix="November")
    december = bulk_live_posts(6, authors=[GuestFactory()], tags=[], start=at(2010, 12, 30),
                               prefix="December")
    first = parse(client.get("/archief/2010/").content)
    second = parse(client.get("/archief/2010/?pagina=2").content)
    titles = [p.title for p in december + november]
    assert card_titles(first) + card_titles(second) == titles
    assert "12 berichten" in first.find(class_="meta").text
    for page in (first, second):
        months = page.find("nav", **{"aria-label": "Maanden"})
        assert months.links() == ["/archief/2010/11/", "/archief/2010/12/"]
        assert [a.text for a in months.find_all("a")] == ["november", "december"]
    assert client.get("/archief/2010/?pagina=3").status_code == 404


def test_a_month_with_only_a_scheduled_post_stays_404_until_it_goes_live(client):
    LivePostFactory(title="Eerder", publish_at=at(2010, 11, 10))
    post = ScheduledPostFactory(title="Kerstblog", publish_at=at(2010, 12, 24))
    with time_machine.travel(at(2010, 12, 23, 12), tick=False):
        assert client.get("/archief/2010/12/").status_code == 404
        year = client.get("/archief/2010/").content.decode()
        assert "Kerstblog" not in year and "/archief/2010/12/" not in year
        assert "1 bericht" in year
    with time_machine.travel(at(2010, 12, 24, 8), tick=False):
        assert card_titles(parse(client.get("/archief/2010/12/").content)) == [post.title]
        assert "/archief/2010/12/" in parse(client.get("/archief/2010/").content).links()


def test_static_pages(client):
    PageFactory(title="Workshop social media", slug="workshop", body_markdown="Meld je **aan**.")
    PageFactory(title="Nog niet af", slug="concept", is_published=False)
    page = parse(client.get("/pagina/workshop/").content)
    assert page.find("h1").text == "Workshop social media"
    assert page.find("strong").text == "aan"
    assert page.find("link", rel="canonical").attrs["href"].endswith("/pagina/workshop/")
    assert client.get("/pagina/concept/").status_code == 404


def test_home_links_archive_years_and_pages(client):
    LivePostFactory(publish_at=at(2010, 12, 6))
    LivePostFactory(publish_at=at(2011, 1, 6))
    PageFactory(title="Over ons", slug="over")
    PageFactory(title="Verborgen", slug="verborgen", is_published=False)
    links = parse(client.get("/").content).find("aside").links()
    assert {"/archief/2010/", "/archief/2011/", "/pagina/over/"} <= set(links)
    assert "/pagina/verborgen/" not in links


# --- trends ---------------------------------------------------------------------------------

def test_trend_list_is_a_scoreboard_of_the_years_predictions(client, december_series):
    trends = december_series["trends"]
    outcomes = {1: "came_true", 2: "came_true", 3: "partly", 4: "did_not"}
    for trend in trends:
        trend.outcome = outcomes.get(trend.number, "open")
        trend.outcome_note = "Zie de gastblog." if trend.number == 1 else ""
        trend.save()
    PostFactory(title="Concept over trend 1", trend=trends[0], status=Status.SUBMITTED)

    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        page = parse(client.get("/trends/2010/").content)

    items = page.find("ol", class_="trend-list").find_all("li")
    assert [li.find("h3").text for li in items] == [f"Trend {n}" for n in range(1, 12)]
    assert [li.attrs["value"] for li in items] == [str(n) for n in range(1, 12)]
    labels = [li.find(class_="badge").text for li in items]
    assert labels[:5] == ["Uitgekomen", "Uitgekomen", "Deels uitgekomen", "Niet uitgekomen",
                          "Nog open"]
    assert "Zie de gastblog." in items[0].text
    scores = [li.text for li in page.find("ul", class_="scoreboard").find_all("li")]
    assert scores == ["Uitgekomen: 2", "Deels uitgekomen: 1", "Niet uitgekomen: 1", "Nog open: 7"]
    parts = december_series["parts"]
    # Trends 1-5 are reviewed by live posts; 6-11 by posts still scheduled, so not linked.
    assert items[0].find(class_="reviews").links() == [parts[0].get_absolute_url()]
    assert items[5].find(class_="reviews") is None
    assert "Concept over trend 1" not in page.text


def test_trend_index_and_trend_page(client, december_series):
    trends = december_series["trends"]
    trends[2].outcome, trends[2].outcome_note = "came_true", "Het gebeurde al in 2011."
    trends[2].save()
    TrendListFactory(year=2011, title="Trends welzijnswerk 2011")
    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        index = parse(client.get("/trends/").content)
        trend = parse(client.get("/trends/2010/3/").content)
    assert [h.text for h in index.find_all("h2")] == ["Trends welzijnswerk 2011",
                                                     "Trends welzijnswerk 2010"]
    assert "11 trends" in index.text and "Uitgekomen: 1" in index.text

    assert trend.find("h1").text == "Trend 3"
    assert trend.find("title").text == "Trend 3: Trend 3 (2010) · Welzijn Nederland"
    assert "Uitgekomen" in trend.find(class_="outcome").text
    assert "Het gebeurde al in 2011." in trend.find(class_="outcome").text
    assert card_titles(trend) == [december_series["parts"][2].title]
    assert trend.find("a", rel="prev").attrs["href"] == "/trends/2010/2/"
    assert trend.find("a", rel="next").attrs["href"] == "/trends/2010/4/"
    assert client.get("/trends/2010/12/").status_code == 404
    assert client.get("/trends/1999/").status_code == 404


def test_trend_index_shows_each_years_scoreboard_in_verdict_order(client):
    older = TrendListFactory(year=2010, title="Trends welzijnswerk 2010")
    newer = TrendListFactory(year=2011, title="Trends welzijnswerk 2011")
    for number, outcome in enumerate(["open", "did_not", "came_true", "open", "partly",
                                      "came_true"], start=1):
        TrendFactory(trend_list=older, number=number, outcome=outcome)
    TrendFactory(trend_list=newer, number=1, outcome="partly")
    TrendListFactory(year=2012, title="Trends welzijnswerk 2012")  # no trends yet

    page = parse(client.get("/trends/").content)
    boards = {ul.attrs["aria-label"]: [li.text for li in ul.find_all("li")]
              for ul in page.find_all("ul", class_="scoreboard")}
    assert boards == {
        "Scorebord Trends welzijnswerk 2011": ["Deels uitgekomen: 1"],
        "Scorebord Trends welzijnswerk 2010": ["Uitgekomen: 2", "Deels uitgekomen: 1",
                                               "Niet uitgekomen: 1", "Nog open: 2"],
    }
    assert "6 trends" in page.text and "1 trend" in page.text and "0 trends" in page.text


# --- series ---------------------------------------------------------------------------------

def test_series_page_shows_the_schedule_as_the_blog_announced_it(client, december_series):
    series, parts = december_series["series"], december_series["parts"]
    PostFactory(title="Concept voor de reeks", series=series, series_position=12)
    PostFactory(title="Ingediend voor de reeks", series=series, series_position=12,
                status=Status.SUBMITTED)
    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        response = client.get(series.get_absolute_url())
    page = parse(response.content)
    body = response.content.decode()

    assert page.find("h1").text == series.title
    assert "Elf gastbloggers blikken terug" in page.find(class_="intro").text
    rows = page.find("ol", class_="schedule").find_all("li")
    assert len(rows) == 11
    live, scheduled = rows[:5], rows[5:]  # 6, 7, 8, 10 and 13 December (07:00) are out
    assert live[0].find("time").text == "06-12-2010"
    assert live[0].find("a").attrs["href"] == parts[0].get_absolute_url()
    assert parts[0].author.display_name in live[0].text
    entry = scheduled[3]  # 20 December
    assert entry.find("time").text == "20-12-2010"
    assert parts[8].title in entry.text
    assert parts[8].author.display_name in entry.text
    assert "verschijnt op 20 december" in entry.text
    assert entry.find("a") is None
    for part in parts[5:]:
        assert part.get_absolute_url() not in body
        assert f"De geheime tekst van deel {parts.index(part) + 1}." not in body
        assert f"Vandaag gastblog {parts.index(part) + 1} van" not in body
    assert "Concept voor de reeks" not in body and "Ingediend voor de reeks" not in body
    assert f"/reeks/{series.slug}/feed/" in {
        link.attrs["href"] for link in page.find_all("link", rel="alternate")}


def test_series_page_before_anything_is_announced(client):
    series = SeriesFactory(title="Volgend jaar")
    PostFactory(series=series, title="Nog een concept")
    page = parse(client.get(series.get_absolute_url()).content)
    assert "Het programma volgt binnenkort." in page.text
    assert "Nog een concept" not in page.text
    assert client.get("/reeks/bestaat-niet/").status_code == 404


# --- robots, sitemap, 404, titles -----------------------------------------------------------

def test_robots_txt_points_to_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /beheer/" in lines and "Disallow: /schrijven/" in lines
    assert "Disallow: /voorbeeld/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def test_sitemap_lists_public_addresses_on_the_site_url(client, settings):
    post = LivePostFactory(tags=["zichtbaar"], publish_at=at(2010, 12, 6))
    PostFactory(tags=["onzichtbaar"])
    PageFactory(slug="over")
    parts = sitemap_parts(client)
    assert "/sitemap-posts.xml" in parts and "/sitemap-tags.xml" in parts
    body = "\n".join(parts.values())
    for path in [post.get_absolute_url(), "/pagina/over/", "/tag/zichtbaar/",
                 post.author.profile.get_absolute_url(), "/archief/2010/12/", "/trends/"]:
        assert f"<loc>{settings.SITE_URL}{path}</loc>" in body, path
    assert "onzichtbaar" not in body
    assert "testserver" not in body


def test_not_found_page_is_dutch_and_helpful(client):
    response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    page = parse(response.content)
    assert page.find("html").attrs["lang"] == "nl"
    assert page.find("h1").text == "Deze pagina bestaat niet (meer)"
    assert page.find("form", role="search").find("input", name="q") is not None
    assert page.find("meta", name="robots").attrs["content"] == "noindex"


def test_every_page_has_a_telling_title(client, december_series):
    parts = december_series["parts"]
    parts[0].tags.add("media")
    PageFactory(title="Workshop", slug="workshop")
    with time_machine.travel(at(2010, 12, 13, 12), tick=False):
        expected = {
            "/": "Welzijn Nederland · Over welzijnswerk",
            parts[0].get_absolute_url(): f"{parts[0].title} · Welzijn Nederland",
            "/tag/media/": "Tag: media · Welzijn Nederland",
            parts[0].author.profile.get_absolute_url():
                f"{parts[0].author.profile.display_name} · Welzijn Nederland",
            "/archief/2010/12/": "Archief december 2010 · Welzijn Nederland",
            "/trends/": "Trends · Welzijn Nederland",
            "/trends/2010/": "Trends welzijnswerk 2010 · Welzijn Nederland",
            december_series["series"].get_absolute_url():
                "11 Gastbloggers blikken terug op 2010 · Welzijn Nederland",
            "/zoeken/?q=gastblog": "Zoeken naar “gastblog” · Welzijn Nederland",
            "/pagina/workshop/": "Workshop · Welzijn Nederland",
        }
        for url, title in expected.items():
            assert parse(client.get(url).content).find("title").text == title, url


def test_list_pages_declare_their_canonical_address(client, settings):
    bulk_live_posts(12, authors=[GuestFactory()], tags=[])
    for url, canonical in [("/", "/"), ("/?pagina=2", "/?pagina=2"), ("/trends/", "/trends/"),
                           ("/archief/", "/archief/"), ("/?utm_source=x&pagina=2", "/?pagina=2")]:
        link = parse(client.get(url).content).find("link", rel="canonical")
        assert link.attrs["href"] == settings.SITE_URL + canonical, url
    assert parse(client.get("/zoeken/?q=x").content).find("link", rel="canonical") is None


def test_scheduled_post_appears_on_time_without_any_status_change(client):
    post = ScheduledPostFactory(title="Precies op tijd", publish_at=timezone.now()
                                + timedelta(minutes=5))
    assert post.title not in client.get("/").content.decode()
    with time_machine.travel(post.publish_at + timedelta(seconds=1)):
        assert post.title in client.get("/").content.decode()
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/archief/", "/trends/", "/zoeken/"])
def test_every_public_page_leads_to_logging_in_writing_and_the_newsletter(client, path):
    from django.urls import reverse

    html = client.get(path).content.decode()
    header = html[html.index('<header class="site-header">'):html.index("</header>")]
    footer = html[html.index('<footer class="site-footer">'):html.index("</footer>")]
    for part in (header, footer):
        assert f'href="{reverse("accounts:login")}"' in part
        assert f'href="{reverse("join:pitch")}"' in part
        assert f'href="{reverse("newsletter:subscribe")}"' in part
    assert ">Inloggen<" in header and ">Schrijf mee<" in header and ">Nieuwsbrief<" in header


@pytest.mark.django_db
def test_a_signed_in_writer_gets_the_desk_instead_of_the_login_link(client):
    from django.urls import reverse

    from tests.factories import PASSWORD

    guest = GuestFactory()
    client.login(username=guest.username, password=PASSWORD)
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">'):html.index("</header>")]
    assert f'href="{reverse("desk:dashboard")}"' in header
    assert ">Inloggen<" not in header


@pytest.mark.django_db
def test_the_header_kept_between_requests_fits_each_page_and_each_visitor(client):
    """The header is made once per kind of page and visitor (base.html's {% cache %}): one
    visitor's or one page's header never shows on another."""
    from tests.factories import PASSWORD, EditorFactory

    def header(path):
        html = client.get(path).content.decode()
        return html[html.index('<header class="site-header">'):html.index("</header>")]

    def current(path):
        return re.findall(r'<a href="([^"]+)" aria-current="page"', header(path))

    assert current("/") == ["/"] and current("/zoeken/") == ["/zoeken/"]
    assert current("/") == ["/"]  # from the kept copy, still its own page
    assert ">Inloggen<" in header("/")

    guest = GuestFactory()
    client.login(username=guest.username, password=PASSWORD)
    assert ">Inloggen<" not in header("/") and ">Schrijven<" in header("/")
    assert ">Redactie<" not in header("/")
    editor = EditorFactory()
    client.login(username=editor.username, password=PASSWORD)
    assert ">Redactie<" in header("/") and ">Schrijven<" in header("/")
    client.logout()
    assert ">Inloggen<" in header("/") and ">Redactie<" not in header("/")
