"""Benchmark data: a blog of any size, written fast, shaped like ten years of a real one.

`manage.py bench_data --posts N --comments M [--seed S]` calls `fill()`. What it writes:

- authors: one per 50 posts (at least 10), a few of them prolific (Zipf), each with a
  profile; three editors, among them `bench-redactie` (the benchmark's admin login);
- tags with a long tail: one per 20 posts (at least 30); a post has 1–5 of them, the
  first few tags are on a large share of all posts, most on a handful;
- posts over the last ten years (a few more every year), about 95% live, the rest drafts,
  submitted, changes requested, rejected and scheduled (the next 60 days); a quarter with an
  editor's introduction, 40% with a featured image, 8% looking back on a trend of their
  year's trend list, one in 80 in a series; each text 3–8 paragraphs of Dutch welfare-work
  vocabulary with a Zipf word distribution ("welzijn" in most, `RARE_WORD` in a few);
- comments: a few posts with 2,200–3,000 each (one per 200,000 comments, at least one when
  there are 4,000), the rest spread with a heavy tail over live posts; a third are replies
  in a thread; held for moderation when recent, a few spam and removed; commenters return
  (a Zipf pool of addresses, hashed as the site hashes them); the post's author answers now
  and then.

It writes rows directly (PostgreSQL `COPY`, elsewhere `bulk_create`), not through the
workflow: this is generated test data, like tests/reader_world.py, and it only runs on a
database without posts unless told to add to one. Ids are allocated here, so parents,
threads and tags refer to each other without reading anything back; memory stays flat
because every table is streamed.
"""

import bisect
import json
import random
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from accounts.models import AuthorProfile, User
from blog.models import Image, Page, Post, PostEvent, Series, Status, TaggedPost
from comments.models import EMAIL_HASH_PURPOSE, IP_HASH_PURPOSE, Comment
from core import content
from core.antispam import hash_value
from trends.models import Trend, TrendList

COMMON_WORD = "welzijn"
RARE_WORD = "buurtpensionnetje"
BENCH_EDITOR = "bench-redactie"
YEARS = 10
BIG_POST_COMMENTS = (2200, 3000)

FUNCTION_WORDS = (
    "de het een en van in is dat op te voor met niet zijn aan er om ook als bij maar dan "
    "nog door wat naar over kan wel zo meer ze we ik je hun die dit deze uit tot geen "
    "worden wordt heeft hebben veel waar hoe wie al of omdat want toch zelf samen elkaar"
).split()
CONTENT_WORDS = (
    "welzijn welzijnswerk welzijnswerker welzijnswerkers bewoners buurt wijk vrijwilligers "
    "vrijwilliger mantelzorg mantelzorgers ouderen jongeren jongerenwerk opbouwwerk "
    "opbouwwerker gemeente gemeenten subsidie subsidies organisatie organisaties stichting "
    "zorg hulp hulpverlening participatie kanteling wmo loket buurthuis huiskamer spreekuur "
    "netwerk netwerken samenwerking samenwerken innovatie resultaten cijfers verantwoording "
    "opdrachtgever opdrachtgevers klanten klant doelgroep aanpak activiteiten project "
    "projecten sociale media twitter blog gastblog trend trends toekomst verandering "
    "professionals beroepsvereniging scholing vertrouwen gesprek verhaal verhalen ideeën "
    "buurtkracht armoede schulden eenzaamheid gezondheid wonen school ouders kinderen gezin "
    "migranten diversiteit taal werk vrijwilligerswerk sport cultuur bibliotheek huisarts "
    "wijkteam sociaal team keukentafel zelfredzaamheid eigen kracht informele zorg "
    "burgerkracht mienskip dorpen stad platteland fusie bezuinigingen marketing branding "
    "website nieuwsbrief campagne bereik zichtbaarheid ambassadeurs methode methodiek "
    "effectief bewijs onderzoek evaluatie kwaliteit beleid wethouder raad budget"
).split()
PLACES = (
    "Amsterdam Rotterdam Utrecht Den Haag Eindhoven Groningen Tilburg Almere Breda Nijmegen "
    "Apeldoorn Haarlem Arnhem Enschede Amersfoort Zaanstad Zwolle Leiden Maastricht "
    "Dordrecht Zoetermeer Ede Delft Alkmaar Venlo Deventer Leeuwarden Helmond Hengelo "
    "Oldenzaal Schoonhoven Gouda Hoorn Assen Emmen Sittard Heerlen Roosendaal Vlaardingen "
    "Purmerend"
).split()
FIRST_NAMES = (
    "Anneke Hans Carel Jos Teun Daphne Hatice John Folkert Bart Hannie Marieke Pieter Sanne "
    "Fatima Mohammed Ingrid Kees Lotte Ruud Eva Mark Noor Sven Yvonne Ahmed Els Bram Ilse "
    "Gert Linda Thijs Nadia Joost Wendy Dirk Esther Youssef Petra Koen"
).split()
LAST_NAMES = (
    "Krakers Versteegh Demari Reinders Hofmeijer van Knippenberg Turkmen Beckers Kooistra "
    "Demmers Dekker de Vries Jansen de Jong Bakker Visser Smit Meijer de Boer Mulder "
    "de Groot Bos Vos Peters Hendriks van Leeuwen Brouwer de Wit Dijkstra Smits de Graaf "
    "van der Meer Kok Jacobs de Haan Vermeulen van den Berg"
).split()
TITLE_PATTERNS = (
    "{A} in {place}: wat werkt er echt?",
    "Waarom {a} en {b} bij elkaar horen",
    "{A} zonder {b}? Zo pak je dat aan",
    "Vijf lessen over {a} uit {place}",
    "Hoe {a} de {b} versterkt",
    "Gastblog: {a} in de praktijk",
    "{A}, {b} en de toekomst van het welzijnswerk",
    "Wat {place} ons leert over {a}",
)


@dataclass
class Shape:
    """How many of everything a blog of `posts` posts and `comments` comments has."""

    posts: int
    comments: int
    seed: int = 1

    @property
    def authors(self) -> int:
        return max(10, self.posts // 50)

    @property
    def tags(self) -> int:
        return max(30, self.posts // 20)

    @property
    def big_posts(self) -> int:
        if self.comments < 2 * BIG_POST_COMMENTS[0]:
            return 0
        return max(1, self.comments // 200_000)

    @property
    def commenters(self) -> int:
        return max(200, self.comments // 20)


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    @property
    def peak_memory_mb(self) -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- writing rows ---------------------------------------------------------------------------

class Table:
    """Writes rows (tuples in `fields` order) to one model's table, streamed in batches.

    The rows may be a generator, but it must not query the database: on PostgreSQL the
    connection is busy with the COPY while it runs."""

    BATCH = 5000

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = fields
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = [by_attname[name].column for name in fields]
        self.json_positions = [
            i for i, name in enumerate(fields) if isinstance(by_attname[name], models.JSONField)
        ]

    def write(self, rows: Iterable[tuple]) -> int:
        if connection.vendor == "postgresql":
            return self._copy(rows)
        return self._bulk_create(rows)

    def _copy(self, rows) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        count = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if self.json_positions:
                        row = list(row)
                        for i in self.json_positions:
                            row[i] = json.dumps(row[i])
                    copy.write_row(row)
                    count += 1
        return count

    def _bulk_create(self, rows) -> int:
        count, batch = 0, []
        for row in rows:
            batch.append(self.model(**dict(zip(self.fields, row, strict=True))))
            if len(batch) >= self.BATCH:
                count += len(self.model.objects.bulk_create(batch))
                batch = []
        if batch:
            count += len(self.model.objects.bulk_create(batch))
        return count


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


class Zipf:
    """Draws ranks 0..n-1 with weight 1/(rank+1)^s: a few very common, a long tail."""

    def __init__(self, n: int, s: float, rng: random.Random):
        self.cum = list(accumulate(1 / (rank + 1) ** s for rank in range(n)))
        self.total = self.cum[-1]
        self.rng = rng

    def draw(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.total)

    def distinct(self, k: int) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < k:
            rank = self.draw()
            if rank not in chosen:
                chosen.append(rank)
        return chosen


# --- the generator ----------------------------------------------------------------------------

class BenchBlog:
    def __init__(self, shape: Shape, *, now=None, log: Callable[[str], None] = lambda _: None):
        self.shape = shape
        self.rng = random.Random(shape.seed)
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.log = log
        self.report = Report()
        self.words = Zipf(len(CONTENT_WORDS), 0.9, self.rng)

    # --- text ---------------------------------------------------------------------------
    def sentence(self, words: int) -> str:
        rng = self.rng
        out = []
        for _ in range(words):
            if rng.random() < 0.45:
                out.append(rng.choice(FUNCTION_WORDS))
            else:
                out.append(CONTENT_WORDS[self.words.draw()])
        out[0] = out[0].capitalize()
        return " ".join(out) + rng.choice(".....?!")

    def paragraph(self) -> str:
        return " ".join(self.sentence(self.rng.randint(8, 18))
                        for _ in range(self.rng.randint(3, 6)))

    def text_pool(self, size: int) -> list[tuple[str, str]]:
        """(markdown, html) paragraphs, rendered once by the site's own Markdown pipeline."""
        pool = []
        for _ in range(size):
            source = self.paragraph()
            pool.append((source, content.render_markdown(source)))
        return pool

    def title(self) -> str:
        a, b = CONTENT_WORDS[self.words.draw()], CONTENT_WORDS[self.words.draw()]
        return self.rng.choice(TITLE_PATTERNS).format(
            a=a, b=b, A=a.capitalize(), place=self.rng.choice(PLACES)
        )

    # --- run ----------------------------------------------------------------------------
    def fill(self) -> Report:
        steps = [
            ("people", self.write_people),
            ("tags", self.write_tags),
            ("trends and series", self.write_trends_and_series),
            ("posts", self.write_posts),
            ("comments", self.write_comments),
        ]
        for name, step in steps:
            started = time.monotonic()
            with transaction.atomic():
                step()
            self.report.seconds[name] = round(time.monotonic() - started, 1)
            self.log(f"{name}: {self.report.seconds[name]} s "
                     f"(peak memory {self.report.peak_memory_mb:.0f} MB)")
        self.reset_sequences()
        return self.report

    def reset_sequences(self):
        touched = [User, AuthorProfile, Tag, TrendList, Trend, Series, Image, Post, TaggedPost,
                   PostEvent, Page, Comment]
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # --- people -------------------------------------------------------------------------
    def write_people(self):
        rng, shape = self.rng, self.shape
        first_user = next_id(User)
        first_profile = next_id(AuthorProfile)
        self.editor_ids = [first_user, first_user + 1, first_user + 2]
        self.author_ids = self.editor_ids + [first_user + 3 + i for i in range(shape.authors)]
        self.names: dict[int, str] = {}
        joined = self.now - timedelta(days=365 * YEARS + 30)
        have_editor = User.objects.filter(username=BENCH_EDITOR).exists()

        def users() -> Iterator[tuple]:
            for i, pk in enumerate(self.author_ids):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                self.names[pk] = f"{first} {last}"
                is_editor = pk in self.editor_ids
                username = (BENCH_EDITOR if i == 0 and not have_editor else f"auteur-{pk}")
                yield ("!" + f"{rng.getrandbits(64):x}", None, False, username, first, last,
                       is_editor, True, joined, f"{username}@bench.example.org", pk)

        def profiles() -> Iterator[tuple]:
            for i, pk in enumerate(self.author_ids):
                name = self.names[pk]
                bio = f"{name} werkt in het welzijnswerk in {rng.choice(PLACES)}."
                yield (first_profile + i, pk, name, f"{slugify(name)}-{pk}", bio,
                       content.plain_text_to_html(bio), "", {}, "Stichting Welzijn",
                       "opbouwwerker", "", "", "", joined)

        self.report.counts["users"] = Table(User, [
            "password", "last_login", "is_superuser", "username", "first_name", "last_name",
            "is_staff", "is_active", "date_joined", "email", "id",
        ]).write(users())
        self.report.counts["profiles"] = Table(AuthorProfile, [
            "id", "user_id", "display_name", "slug", "bio", "bio_html", "photo",
            "photo_renditions", "organisation", "role", "website", "linkedin", "twitter",
            "updated_at",
        ]).write(profiles())

    # --- tags ---------------------------------------------------------------------------
    def write_tags(self):
        names = list(dict.fromkeys(
            [*CONTENT_WORDS,
             *(f"{word} {place}" for word in CONTENT_WORDS for place in PLACES),
             *(f"{a} en {b}" for a in CONTENT_WORDS for b in CONTENT_WORDS if a != b)]
        ))[:self.shape.tags]
        existing = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=names)}
        first = next_id(Tag)
        new = [name for name in names if name not in existing]
        ids = dict(existing)
        for i, name in enumerate(new):
            ids[name] = first + i
        self.tag_ids = [ids[name] for name in names]  # by popularity
        self.report.counts["tags"] = Table(Tag, ["id", "name", "slug"]).write(
            (ids[name], name, slugify(name)[:100]) for name in new
        )

    # --- trends and series --------------------------------------------------------------
    def write_trends_and_series(self):
        rng = self.rng
        this_year = self.now.year
        years = range(this_year - YEARS, this_year + 1)
        have = set(TrendList.objects.values_list("year", flat=True))
        first_list, first_trend = next_id(TrendList), next_id(Trend)
        lists, trends = [], []
        self.trends_by_year: dict[int, list[int]] = {}
        for year in years:
            if year in have:
                continue
            list_id = first_list + len(lists)
            lists.append((list_id, year, f"Trends welzijnswerk {year}", ""))
            for number in range(1, 12):
                trend_id = first_trend + len(trends)
                trends.append((trend_id, list_id, number, self.title(), self.paragraph(),
                               rng.choice(["open", "came_true", "partly", "did_not"]), ""))
                self.trends_by_year.setdefault(year, []).append(trend_id)
        self.report.counts["trend lists"] = Table(
            TrendList, ["id", "year", "title", "intro"]).write(lists)
        self.report.counts["trends"] = Table(Trend, [
            "id", "trend_list_id", "number", "title", "description", "outcome", "outcome_note",
        ]).write(trends)

        first_image = next_id(Image)
        self.image_ids = [first_image + i for i in range(20)]
        self.report.counts["images"] = Table(Image, [
            "id", "file", "width", "height", "renditions", "uploaded_by_id", "original_name",
            "created_at",
        ]).write(
            (pk, f"afbeeldingen/bench-{pk}.jpg", 1600, 1067,
             {str(w): f"afbeeldingen/bench-{pk}-{w}.jpg" for w in (400, 800, 1600)},
             None, f"foto-{pk}.jpg", self.now - timedelta(days=YEARS * 365))
            for pk in self.image_ids
        )
        self.series_count = max(2, self.shape.posts // 400)
        first_series = next_id(Series)
        self.series_ids = [first_series + i for i in range(self.series_count)]
        self.report.counts["series"] = Table(Series, [
            "id", "title", "slug", "intro", "trend_list_id", "created_at",
        ]).write(
            (pk, f"Reeks {i + 1}: {self.title()}", f"reeks-{pk}", self.paragraph(), None,
             self.now - timedelta(days=YEARS * 365))
            for i, pk in enumerate(self.series_ids)
        )
        page_id, text = next_id(Page), self.paragraph()
        Table(Page, ["id", "title", "slug", "body_markdown", "body_html", "is_published",
                     "created_at", "updated_at"]).write(
            [(page_id, "Over dit blog", f"over-dit-blog-{page_id}", text,
              content.render_markdown(text), True, self.now, self.now)]
        )

    # --- posts --------------------------------------------------------------------------
    def post_times(self) -> list[datetime]:
        """Live posts' moments over YEARS years, a few more each year, oldest first."""
        rng, n = self.rng, self.shape.posts
        start = self.now - timedelta(days=365 * YEARS)
        span = (self.now - timedelta(hours=1) - start).total_seconds()
        # Density grows linearly to twice the start: inverse of the CDF (x + x²/2)/1.5.
        moments = sorted(
            start + timedelta(seconds=span * (-1 + (1 + 3 * rng.random()) ** 0.5))
            for _ in range(n)
        )
        return [m.replace(microsecond=0) for m in moments]

    def write_posts(self):
        rng, shape = self.rng, self.shape
        pool = self.text_pool(min(4000, max(200, shape.posts // 10)))
        intros = self.text_pool(min(1000, max(50, shape.posts // 40)))
        rare = content.render_markdown(f"Het {RARE_WORD} in de wijk deed het goed.")
        authors = Zipf(len(self.author_ids) - 1, 0.8, rng)  # the bench editor writes little
        tags = Zipf(len(self.tag_ids), 1.0, rng)
        first = next_id(Post)
        self.post_ids, self.live, self.post_author = [], [], {}
        statuses = self.statuses()
        times = self.post_times()
        series_left = {pk: 0 for pk in self.series_ids}
        series_next = iter(self.series_ids)
        current_series, position = None, 0
        rare_every = max(1, shape.posts // 10)  # ~10 posts, at least a few
        events: list[tuple] = []
        # Tags go in first (the foreign key is checked at commit), so that on PostgreSQL
        # the post's search document is made with its tags when the post row is inserted.
        self.report.counts["post tags"] = Table(
            TaggedPost, ["content_object_id", "tag_id"]).write(
            (first + i, self.tag_ids[rank])
            for i in range(shape.posts) for rank in tags.distinct(rng.randint(1, 5))
        )
        if connection.vendor == "postgresql":
            # The search trigger looks up each post's tags; without statistics on the rows
            # just written (in this same transaction) PostgreSQL would plan that lookup as a
            # scan of the whole table, once per post: quadratic.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE blog_taggedpost")

        def posts() -> Iterator[tuple]:
            nonlocal current_series, position
            for i in range(shape.posts):
                pk = first + i
                status, publish_at = statuses[i], times[i]
                if status == "scheduled":
                    publish_at = self.now + timedelta(hours=rng.randint(2, 60 * 24))
                author = self.author_ids[1 + authors.draw()]
                title = self.title()
                parts = rng.sample(pool, rng.randint(3, 8))
                if i % rare_every == 7 or i in (3, 11, 19):
                    parts.append((f"Het {RARE_WORD} in de wijk deed het goed.", rare))
                markdown = "\n\n".join(p[0] for p in parts)
                body_html = "\n".join(p[1] for p in parts)
                intro, intro_html = rng.choice(intros) if rng.random() < 0.25 else ("", "")
                # What Post.derive_summary stores: the intro's or the text's first 40 words.
                # A paragraph has at least 24 words, so the first two hold them.
                summary = content.make_excerpt(intro_html or "\n".join(p[1] for p in parts[:2]))
                live_or_scheduled = status in ("live", "scheduled")
                created = (publish_at if live_or_scheduled else self.now) - timedelta(
                    days=rng.randint(1, 20))
                series_id = position_value = None
                if status == "live" and rng.random() < 1 / 80 and current_series is None:
                    current_series = next(series_next, None)
                    position = 0
                    if current_series is not None:
                        series_left[current_series] = rng.randint(5, 11)
                if status == "live" and current_series is not None:
                    position += 1
                    series_id, position_value = current_series, position
                    series_left[current_series] -= 1
                    if series_left[current_series] <= 0:
                        current_series = None
                year_trends = self.trends_by_year.get(publish_at.year, [])
                trend_id = rng.choice(year_trends) if year_trends and rng.random() < 0.08 \
                    else None
                image = rng.choice(self.image_ids) if rng.random() < 0.4 else None
                db_status = {"live": Status.APPROVED, "scheduled": Status.APPROVED}.get(
                    status, status)
                self.post_ids.append(pk)
                self.post_author[pk] = author
                if status == "live":
                    self.live.append((pk, publish_at))
                submitted = created + timedelta(hours=3) if status != "draft" else None
                requested = None
                if status == "changes_requested":
                    requested = self.now - timedelta(days=rng.randint(1, 20))
                    events.append((pk, "transition", self.editor_ids[0], "submitted", status,
                                   "request_changes", "Kun je het slot nog aanscherpen?",
                                   None, None, requested))
                yield (
                    pk, title[:200], f"{slugify(title)[:180]}-{pk}", author, intro, intro_html,
                    markdown, body_html, "", summary,
                    image, "Een foto bij het bericht" if image else "", trend_id, series_id,
                    position_value, db_status,
                    publish_at if live_or_scheduled else None,
                    publish_at if status == "live" else None,
                    True, 1, created, publish_at if live_or_scheduled else created,
                    submitted, requested,
                )

        self.report.counts["posts"] = Table(Post, [
            "id", "title", "slug", "author_id", "intro", "intro_html", "body_markdown",
            "body_html", "excerpt", "summary", "featured_image_id", "featured_image_alt", "trend_id",
            "series_id", "series_position", "status", "publish_at", "announced_at",
            "allow_comments", "version", "created_at", "updated_at", "submitted_at",
            "changes_requested_at",
        ]).write(posts())
        self.report.counts["post events"] = Table(PostEvent, [
            "post_id", "kind", "actor_id", "from_status", "to_status", "action", "note",
            "publish_at", "history_id", "created_at",
        ]).write(events)

    def statuses(self) -> list[str]:
        n = self.shape.posts
        shares = {"draft": 0.02, "submitted": 0.003, "changes_requested": 0.002,
                  "rejected": 0.005, "scheduled": 0.005}
        statuses = ["live"] * n
        slots = list(range(n))
        self.rng.shuffle(slots)
        taken = 0
        for status, share in shares.items():
            for index in slots[taken:taken + max(1, round(n * share))]:
                statuses[index] = status
            taken += max(1, round(n * share))
        return statuses

    # --- comments -----------------------------------------------------------------------
    def comment_counts(self) -> dict[int, int]:
        rng, shape = self.rng, self.shape
        live_ids = [pk for pk, _ in self.live]
        counts: dict[int, int] = {}
        left = shape.comments
        # Busy posts are a year old at least: their comments came over months.
        old = [pk for pk, moment in self.live if moment < self.now - timedelta(days=400)]
        for pk in rng.sample(old, min(shape.big_posts, len(old))):
            counts[pk] = min(left, rng.randint(*BIG_POST_COMMENTS))
            left -= counts[pk]
        others = [pk for pk in live_ids if pk not in counts]
        weights = [rng.paretovariate(1.2) for _ in others]
        total = sum(weights) or 1
        for pk, weight in zip(others, weights, strict=True):
            n = min(1000, int(weight / total * left))
            counts[pk] = counts.get(pk, 0) + n
        short = shape.comments - sum(counts.values())
        while short > 0 and others:
            pk = rng.choice(others)
            if counts[pk] < 1000:
                counts[pk] += 1
                short -= 1
        return counts

    def write_comments(self):
        rng, shape = self.rng, self.shape
        if not shape.comments or not self.live:
            self.report.counts["comments"] = 0
            return
        people = []
        for i in range(shape.commenters):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            email = f"lezer{i}-{shape.seed}@bench.example.org"
            people.append((name, email, hash_value(email, purpose=EMAIL_HASH_PURPOSE)))
        who = Zipf(len(people), 1.0, rng)
        texts = []
        for _ in range(3000):
            body = "\n\n".join(self.sentence(rng.randint(6, 25))
                               for _ in range(rng.choice((1, 1, 1, 2, 3))))
            texts.append((body, content.plain_text_to_html(body)))
        ips = [hash_value(f"10.{i // 250}.{i % 250}.1", purpose=IP_HASH_PURPOSE)
               for i in range(5000)]
        counts = self.comment_counts()
        published = dict(self.live)
        author_emails = {}
        for pk in self.author_ids:
            email = f"auteur-{pk}@bench.example.org"
            author_emails[pk] = (email, hash_value(email, purpose=EMAIL_HASH_PURPOSE))
        first = next_id(Comment)
        recent = self.now - timedelta(days=2)

        def comments() -> Iterator[tuple]:
            pk = first
            for post_id, n in counts.items():
                if not n:
                    continue
                start = published[post_id]
                room = max(60.0, (self.now - start).total_seconds())
                # Most comments come in the first days; a busy post keeps getting them.
                spread = min(room, 3 * 86400 if n < 100 else 200 * 86400)
                moments = sorted(
                    start + timedelta(seconds=min(room, rng.expovariate(1 / spread)))
                    for _ in range(n)
                )
                approved: list[int] = []
                author = self.post_author[post_id]
                for moment in moments:
                    parent = rng.choice(approved[-10:]) if approved and rng.random() < 0.35 \
                        else None
                    if parent and rng.random() < 0.05:
                        status, user, name, email, email_hash = (
                            "approved", author, self.names[author], author_emails[author][0],
                            author_emails[author][1])
                        author_reply = True
                    else:
                        name, email, email_hash = people[who.draw()]
                        user, author_reply = None, False
                        roll = rng.random()
                        if moment >= recent:
                            status = "pending" if roll < 0.6 else "approved"
                        elif roll < 0.03:
                            status = "spam"
                        elif roll < 0.035:
                            status = "removed"
                        elif roll < 0.037:
                            status = "pending"
                        else:
                            status = "approved"
                    if status == "approved":
                        approved.append(pk)
                    body, body_html = rng.choice(texts)
                    yield (pk, post_id, parent, user, name[:80], email, "", body, body_html,
                           status, author_reply, moment.replace(microsecond=0),
                           rng.choice(ips), email_hash, False, "", None, None)
                    pk += 1

        self.report.counts["comments"] = Table(Comment, [
            "id", "post_id", "parent_id", "user_id", "name", "email", "url", "body",
            "body_html", "status", "is_author_reply", "created_at", "ip_hash", "email_hash",
            "notify_replies", "author_token_digest", "moderated_at", "moderated_by_id",
        ]).write(comments())


def fill(*, posts: int, comments: int, seed: int = 1, now=None,
         log: Callable[[str], None] = lambda _: None) -> Report:
    return BenchBlog(Shape(posts=posts, comments=comments, seed=seed), now=now, log=log).fill()


def analyze():
    """Fresh planner statistics (and on PostgreSQL an all-visible map for index-only scans)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:  # VACUUM cannot run in a transaction (a test's)
            cursor.execute("ANALYZE")


