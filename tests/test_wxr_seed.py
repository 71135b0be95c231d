"""This blog's own WordPress export (shared/seeds/welzijn-2010.wxr) comes in completely."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from blog.models import Page, Post
from tests.factories import TrendFactory, TrendListFactory
from wordpress.importer import WxrImporter
from wordpress.models import WordPressItem

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "welzijn-2010.wxr"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEED.exists(), reason=f"the blog's export is not at {SEED} "
                       "(shared/ sits next to the repository in CI)"),
]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SITE = "welzijn.example.org"
# WordPress id → (author, December day, the 2010 trend it looks back on)
GUEST_POSTS = {
    108: ("hans.versteegh", 6, 8),
    109: ("carel.demari", 10, 10),
    110: ("jos.reinders", 13, 7),
    111: ("teun.hofmeijer", 14, 6),
    112: ("daphne.vanknippenberg", 16, 5),
}


def imported(wp_id):
    return WordPressItem.objects.get(site=SITE, kind="post", key=str(wp_id)).post


def import_seed():
    return WxrImporter(SEED).run()


def test_the_whole_export_comes_in():
    report = import_seed()
    assert not report.findings.get("skipped")
    assert Post.objects.count() == 16 and report.count("post", "published") == 16
    assert Page.objects.count() == 1
    assert User.objects.count() == 6
    assert all(post.is_live for post in Post.objects.all())
    logins = set(User.objects.values_list("username", flat=True))
    assert logins == {"anneke", *(author for author, _day, _trend in GUEST_POSTS.values())}
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert User.objects.get(username="hans.versteegh").profile.display_name == "Hans Versteegh"


def test_the_guest_posts_keep_their_december_mornings():
    import_seed()
    for wp_id, (author, day, _trend) in GUEST_POSTS.items():
        post = imported(wp_id)
        local = post.publish_at.astimezone(AMSTERDAM)
        assert (local.year, local.month, local.day, local.hour, local.minute) == \
            (2010, 12, day, 7, 0), wp_id
        assert post.author.username == author
        assert "gastblog" in post.tags.names()


def test_paragraphs_and_lists_are_html():
    import_seed()
    page = Page.objects.get()
    assert page.body_html.startswith("<p>Social Media, ook wel sociale netwerken")
    assert "<ul>\n<li>ertegen opziet,</li>" in page.body_html
    post = imported(108)
    assert post.body_html.startswith("<p>Gastblog: Social Media is Booming!</p>\n<p>")
    assert "\n\n" not in post.body_html
    assert post.body_html.count("<p>") > 20


def test_the_guest_posts_are_linked_to_their_trends_once_the_list_exists():
    report = import_seed()
    assert Post.objects.filter(trend__isnull=False).count() == 0
    assert {f.wp_id for f in report.findings["unlinked_trends"]} == \
        {"104", *map(str, GUEST_POSTS)}

    trends = TrendListFactory(year=2010, title="Trends welzijnswerk 2010")
    for number in range(1, 12):
        TrendFactory(trend_list=trends, number=number)
    report = import_seed()
    assert report.trends_linked == 6 and not report.findings.get("unlinked_trends")
    assert not report.created  # nothing new, only completed
    for wp_id, (_author, _day, number) in GUEST_POSTS.items():
        assert imported(wp_id).trend.number == number
    assert imported(104).trend.number == 1


def test_old_addresses_redirect_to_the_new_ones(client):
    import_seed()
    post = imported(108)
    for old in ("/social-media-is-booming/", "/?p=108"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/2010/12/social-media-is-booming/"
    assert client.get("/2010/12/social-media-is-booming/").status_code == 200
    assert post.get_absolute_url() == "/2010/12/social-media-is-booming/"
    response = client.get("/workshop-welzijn-2-0/")
    assert response.status_code == 301 and response["Location"] == "/pagina/workshop-welzijn-2-0/"
    assert client.get(response["Location"]).status_code == 200
