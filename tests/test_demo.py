"""`manage.py demo`: a complete demo blog on an empty database, loaded idempotently.

The expected 2010 facts below are written out here on purpose (not imported from the demo's
data module), so a wrong date, title or trend in the demo fails a test.
"""

from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AuthorProfile, User
from accounts.profiles import PHOTO_FOLDER
from blog import images
from blog.models import Image, Page, Post, PostEvent, Series, Status
from comments.models import Comment
from demo import data
from demo.loader import DemoLoader, coming_december
from tests.factories import ScheduledPostFactory
from trends.models import Trend, TrendList

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GUEST_LOGINS = [
    "carel.demari", "daphne.vanknippenberg", "hans.versteegh", "jos.reinders", "teun.hofmeijer",
]
TRENDS_2010 = [
    "Vertrouwen wordt belangrijker dan meten",
    "Fuseren raakt uit de mode",
    "Positie van vrijwilligers verandert",
    "Diversiteit wordt belangrijker dan doelgroep",
    "Meer ‘au’ dan ‘wauw’",
    "Revival opbouwwerk",
    "Welzijnsorganisaties lanceren landelijk merk",
    "Social media is booming",
    "Menselijke maat is de nieuwe moraal",
    "Ziektepreventie wordt de derde peiler",
    "WIP",
]
# (day of December 2010, title, author, trend) as the series' index post lists them.
SERIES_2010 = [
    (6, "Social Media is Booming", "Hans Versteegh", 8),
    (10, "Mens sana in corpore sano", "Carel de Mari", 10),
    (13, "Klikvoorhulp.nl", "Jos Reinders", 7),
    (14, "De glazen bol rond het opbouwwerk", "Teun Hofmeijer", 6),
    (15, "Diversiteit, toverwoord van 2010", "Hatice Turkmen", 4),
    (16, "Au en wauw", "Daphne van Knippenberg", 5),
    (17, "Goud", "John Beckers", 3),
    (20, "Grootste trend in welzijnswerk", "Folkert Kooistra", 9),
    (21, "Vertrouwen", "Bart Demmers", 1),
    (22, "Mini franchisen in Welzijn", "Hannie van Baren", 2),
    (23, "Van ZIP naar WIP", "ZIP café-bezoekers", 11),
]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", force=True, stdout=out)
    return out.getvalue()


def series_2010_posts() -> list[Post]:
    series = Series.objects.get(title="11 gastbloggers blikken terug op 2010")
    return list(series.posts.select_related("author__profile", "trend").order_by("series_position"))


def test_demo_creates_the_editor_and_five_guests_who_can_log_in(client):
    assert not User.objects.exists()
    out = run_demo()

    editor = User.objects.get(is_staff=True)
    assert (editor.username, editor.get_full_name()) == ("redactie", "Anneke Krakers")
    assert editor.is_editor and editor.check_password(data.EDITOR_PASSWORD)

    can_log_in = sorted(
        u.username for u in User.objects.filter(is_staff=False) if u.has_usable_password()
    )
    assert can_log_in == GUEST_LOGINS
    for username in GUEST_LOGINS:
        guest = User.objects.select_related("profile").get(username=username)
        assert guest.check_password(data.GUEST_PASSWORD)
        assert guest.profile.bio_html and guest.profile.organisation
        assert guest.profile.photo_renditions
        for name in guest.profile.photo_renditions.values():
            assert default_storage.exists(name)
        assert guest.profile.photo.name in guest.profile.photo_renditions.values()

    # The other series authors have public profiles but cannot log in.
    hatice = User.objects.get(username="hatice.turkmen")
    assert not hatice.has_usable_password() and hatice.profile.display_name == "Hatice Turkmen"
    assert not client.login(username="hatice.turkmen", password=data.GUEST_PASSWORD)
    assert client.login(username="hans.versteegh", password=data.GUEST_PASSWORD)

    # The output names where to go and every account with its password.
    assert "https://welzijn.test/beheer/" in out
    assert "redactie" in out and data.EDITOR_PASSWORD in out
    for username in GUEST_LOGINS:
        line = next(line for line in out.splitlines() if username in line)
        assert data.GUEST_PASSWORD in line


def test_the_trend_list_2010_and_its_december_series():
    run_demo()

    trend_list = TrendList.objects.get(year=2010)
    trends = list(trend_list.trends.order_by("number"))
    assert [t.number for t in trends] == list(range(1, 12))
    assert [t.title for t in trends] == TRENDS_2010
    assert all(t.description for t in trends)
    outcomes = Counter(t.outcome for t in trends)
    for outcome in (Trend.Outcome.CAME_TRUE, Trend.Outcome.PARTLY, Trend.Outcome.DID_NOT):
        assert outcomes[outcome] >= 1
    assert all(t.outcome_note for t in trends if t.outcome != Trend.Outcome.OPEN)

    posts = series_2010_posts()
    live = set(Post.objects.live().values_list("pk", flat=True))
    seen = []
    for post in posts:
        local = timezone.localtime(post.publish_at, AMSTERDAM)
        assert (local.year, local.month, local.hour, local.minute) == (2010, 12, 7, 0)
        assert local.weekday() < 5, f"{post.title} is not on a weekday"
        assert post.pk in live and post.status == Status.APPROVED
        seen.append((local.day, post.title, post.author.display_name, post.trend.number))
        assert post.trend.trend_list == trend_list
    assert seen == SERIES_2010
    assert [p.series_position for p in posts] == list(range(1, 12))

    for post in posts:
        # The editor's introduction opens the post and quotes the trend it looks back on.
        assert post.intro_html and post.trend.title in post.intro
        assert "<h2>" in post.body_html  # a sub-heading (Markdown '#' is demoted to h2)
        assert "Je bent welkom om hieronder te reageren." in post.body_markdown
        assert post.body_markdown.endswith("Meld je dan even aan voor de mailinglijst.")
        # History, not a shortcut: the status came through the workflow's import.
        event = post.events.get()
        assert (event.kind, event.to_status) == (PostEvent.Kind.IMPORT, Status.APPROVED)


def test_editor_posts_pages_and_featured_images():
    run_demo()

    editor_posts = Post.objects.filter(author__username="redactie").prefetch_related("tags")
    years = {timezone.localtime(p.publish_at, AMSTERDAM).year for p in editor_posts}
    assert years == {2009, 2010, 2011}
    assert all(p.tags.all() and p.is_live for p in editor_posts)
    index = editor_posts.get(title="11 Gastbloggers blikken terug op 2010")
    for post in series_2010_posts():
        assert f'href="{post.get_absolute_url()}"' in index.body_html

    with_images = Post.objects.filter(featured_image__isnull=False).select_related(
        "featured_image"
    )
    assert with_images.count() >= 3
    for post in with_images:
        assert post.featured_image_alt.strip()
        assert all(default_storage.exists(n) for n in post.featured_image.renditions.values())

    assert set(Page.objects.published().values_list("slug", flat=True)) >= {
        "over-dit-blog", "workshop-welzijn-2-0",
    }


def test_demo_pictures_are_stored_where_uploaded_ones_are(settings):
    """Banners are post images (blog.images), avatars profile photos (accounts): the demo
    leaves nothing in a folder of its own."""
    run_demo()
    banners = {n for i in Image.objects.all() for n in i.renditions.values()}
    photos = {n for p in AuthorProfile.objects.all() for n in p.photo_renditions.values()}
    assert banners and photos
    assert {n.split("/")[0] for n in banners} == {images.FOLDER}
    assert {n.split("/")[0] for n in photos} == {PHOTO_FOLDER}
    assert media_files(settings) == banners | photos


@pytest.mark.parametrize(
    ("now", "year", "first_slot"),
    [
        (datetime(2031, 11, 12, 10, 0, tzinfo=AMSTERDAM), 2031, datetime(2031, 12, 1, 7, 0)),
        # Monday 1 December after 07:00: the first slot left is the next day's.
        (datetime(2031, 12, 1, 8, 0, tzinfo=AMSTERDAM), 2031, datetime(2031, 12, 2, 7, 0)),
        # Friday 19 December: the slots skip the weekend.
        (datetime(2031, 12, 19, 9, 0, tzinfo=AMSTERDAM), 2031, datetime(2031, 12, 22, 7, 0)),
        # Too late for this December: the coming one is next year's (1 Dec 2032 is a Wednesday).
        (datetime(2031, 12, 30, 9, 0, tzinfo=AMSTERDAM), 2032, datetime(2032, 12, 1, 7, 0)),
    ],
)
def test_the_coming_december_is_the_next_one_with_slots_ahead(now, year, first_slot):
    found, slots = coming_december(now, slots_needed=2)
    assert found == year
    assert [timezone.localtime(s, AMSTERDAM).replace(tzinfo=None) for s in slots][0] == first_slot
    assert all(s > now and timezone.localtime(s, AMSTERDAM).weekday() < 5 for s in slots)


def test_the_coming_december_prefers_days_without_a_scheduled_post():
    now = datetime(2031, 11, 12, 10, 0, tzinfo=AMSTERDAM)
    ScheduledPostFactory(publish_at=datetime(2031, 12, 1, 7, 0, tzinfo=AMSTERDAM))
    _, slots = coming_december(now, slots_needed=2)
    assert [timezone.localtime(s, AMSTERDAM).day for s in slots] == [2, 3]


def test_the_coming_december_series_has_work_in_every_state(
    mailoutbox, django_capture_on_commit_callbacks
):
    now = datetime(2031, 11, 12, 10, 0, tzinfo=AMSTERDAM)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_demo()
    assert mailoutbox == []  # the workflow ran with notify=False

    series = Series.objects.get(title="Gastbloggers blikken terug op 2031")
    assert series.trend_list.year == 2031 and series.trend_list.trends.count() >= 3
    posts = list(series.posts.select_related("author").order_by("series_position"))
    states = Counter(p.status for p in posts)
    assert states[Status.SUBMITTED] >= 5  # the review queue and the planner have work
    assert states[Status.CHANGES_REQUESTED] >= 1
    assert states[Status.APPROVED] >= 1
    assert states[Status.DRAFT] >= 1
    assert {p.author.username for p in posts} == set(GUEST_LOGINS)
    assert all(p.trend.trend_list == series.trend_list for p in posts)

    editor = User.objects.get(username="redactie")
    for post in posts:
        events = list(post.events.order_by("created_at", "pk"))
        if post.status == Status.APPROVED:
            local = timezone.localtime(post.publish_at, AMSTERDAM)
            assert (local.year, local.month, local.hour, local.minute) == (2031, 12, 7, 0)
            assert local.weekday() < 5 and post.publish_at > now
            assert not post.is_live_at(now)
            assert post.intro  # the editor wrote the introduction before approving
            assert [(e.action, e.actor) for e in events] == [
                ("submit", post.author), ("edit", editor), ("approve", editor),
            ]
        elif post.status == Status.CHANGES_REQUESTED:
            assert [(e.action, e.actor) for e in events] == [
                ("submit", post.author), ("request_changes", editor),
            ]
            assert events[-1].note
        elif post.status == Status.SUBMITTED:
            assert [(e.action, e.actor) for e in events] == [("submit", post.author)]
            assert post.submitted_at == events[0].created_at <= now
        else:
            assert events == []
    scheduled = [p.publish_at for p in posts if p.status == Status.APPROVED]
    assert len(set(scheduled)) == len(scheduled), "two posts in one slot"
    waiting = [now - p.submitted_at for p in posts if p.status == Status.SUBMITTED]
    assert max(waiting) >= timedelta(days=3), "the review queue shows a post waiting for days"
    with time_machine.travel(now, tick=False):
        assert not Post.objects.live().filter(series=series).exists()


def test_comments_with_replies_an_author_reply_and_pending_ones():
    run_demo()

    comments = Comment.objects.select_related("post", "parent", "user")
    pending = [c for c in comments if c.status == Comment.Status.PENDING]
    assert len(pending) >= 2
    assert not Comment.objects.approved().filter(pk__in=[c.pk for c in pending]).exists()
    replies = [c for c in comments if c.parent_id]
    assert len(replies) >= 2 and all(c.parent.post_id == c.post_id for c in replies)

    author_reply = comments.get(is_author_reply=True)
    assert author_reply.user == author_reply.post.author
    assert author_reply.user.username in GUEST_LOGINS
    assert author_reply.parent is not None and author_reply.status == Comment.Status.APPROVED

    for comment in comments:
        assert comment.post.is_live and comment.body_html
        assert comment.created_at >= comment.post.publish_at


def snapshot() -> dict:
    """Every row of every model, every concrete field: nothing may be added or changed."""
    rows = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = list(
            model._base_manager.order_by("pk").values_list(*fields)
        )
    return rows


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_second_run_changes_nothing_and_keeps_the_editors_changes(settings):
    run_demo()
    before, files = snapshot(), media_files(settings)
    assert sum(len(rows) for rows in before.values()) > 100 and files

    out = run_demo()

    assert snapshot() == before
    assert media_files(settings) == files
    assert "niets gewijzigd" in out and data.EDITOR_PASSWORD in out

    # What exists is left alone: an edited title stays, a removed comment stays removed.
    Post.objects.filter(slug="goud").update(title="Goud waard")
    Comment.objects.filter(name="Ruud Bakker").delete()
    run_demo()
    assert Post.objects.get(slug="goud").title == "Goud waard"
    assert not Comment.objects.filter(name="Ruud Bakker").exists()


def test_the_site_after_the_demo(client):
    run_demo()

    home = client.get("/")
    assert home.status_code == 200
    assert "De klant op reis in Breed Welzijn" in home.content.decode()

    response = client.get("/reeks/gastbloggers-blikken-terug-op-2010/")
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(f'href="{p.get_absolute_url()}"') for p in series_2010_posts()]
    assert len(positions) == 11 and positions == sorted(positions)

    post = series_2010_posts()[0]
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "mijn Welzijn 2.0-maatje Hans Versteegh" in html
    assert "Meld je dan even aan voor de mailinglijst." in html

    assert client.get("/trends/2010/").status_code == 200
    assert client.get("/pagina/over-dit-blog/").status_code == 200
    assert client.get("/auteurs/hatice-turkmen/").status_code == 200

    # The coming series announces its scheduled posts, and shows nothing else.
    coming = Series.objects.exclude(slug="gastbloggers-blikken-terug-op-2010").get()
    html = client.get(coming.get_absolute_url()).content.decode()
    for unpublished in coming.posts.all():
        if unpublished.status == Status.APPROVED:
            assert unpublished.title in html
            assert client.get(unpublished.get_absolute_url()).status_code == 404
        else:
            assert unpublished.title not in html

    assert client.login(username="redactie", password=data.EDITOR_PASSWORD)
    assert client.get("/beheer/").status_code == 200


def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def test_a_failure_leaves_no_rows_and_no_files(settings, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DemoLoader, "coming_series", broken)
    with pytest.raises(RuntimeError):
        run_demo()

    assert not User.objects.exists() and not Post.objects.exists()
    assert media_files(settings) == set()
