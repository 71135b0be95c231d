"""Benchmark the site at two sizes: are pages as fast with 100,000 posts as with 1,000?

    python benchmarks/scale.py                                  # 1k/10k and 100k/1M (make bench-scale)
    python benchmarks/scale.py --sizes 1000:10000,20000:200000  # other sizes
    python benchmarks/scale.py --report                         # the table again, from the last run
    python benchmarks/scale.py --prepare                        # only make the databases

For each size it makes (or reuses) a PostgreSQL database `<BENCH_DB_PREFIX><posts>_<comments>`
on `BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432, prefix `welzijn_bench_`):
migrated, filled by `manage.py bench_data` (its time and peak memory are printed) and
vacuumed. A database is reused while its comment says it was made by the same migrations
and generator with the same sizes and seed; anything else is dropped and made again.

Then one process per size (started together, so each is warm) requests every page with
Django's test Client, in-process (no HTTP server, no network: the figures are Django, the
templates and PostgreSQL), one request at a time: 5 to warm up, then `--requests` (50) timed
ones, p50 and p95. The sizes take turns, ten requests at a time, so the load of a shared
machine falls on both alike. With `REDIS_URL` set the cache is Redis, as in production;
otherwise Django's local-memory cache. Public pages are requested as an anonymous reader,
the admin pages as the editor `bench-redactie`; the comments it places are removed again.

The table gives both sizes, the ratio of the medians and the query counts. The target is a
ratio of at most 1.3 and a median of at most 100 ms at the larger size; for each page that
misses it, the EXPLAIN (ANALYZE, BUFFERS) of its slowest query at the larger size follows.
The load (uptime) at the start and end of each measurement is printed with it.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "welzijn_bench_")
SEED = 1
TARGET_RATIO = 1.3
TARGET_MS = 100.0
SECRET = "bench-scale-secret-key-not-for-production"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "(uptime unavailable)"


def db_url(name: str) -> str:
    parts = urlsplit(PG_URL)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def signature(posts: int, comments: int) -> str:
    """Changes when anything that shapes the database changes: migrations, the generator."""
    digest = hashlib.sha256(f"{posts}:{comments}:{SEED}".encode())
    for path in sorted([*ROOT.glob("*/migrations/*.py"), ROOT / "demo" / "bench.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def child_env(database: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": db_url(database),
        # Each database its own cache keys (the month list), also in one shared Redis.
        "CACHE_KEY_PREFIX": f"{database}-{os.getpid()}",
        "DJANGO_SETTINGS_MODULE": "welzijn.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "COMMENT_RATE_LIMIT": "100000/m",
        "COMMENT_MIN_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # Pages render on every request, cards and all: what is measured is the work a page
        # does at each size, not the page cache (issue 11), which would answer most of them
        # in 0.5 ms, nor the kept post cards, which would spare a list page its posts' rows.
        "PAGE_CACHE": "0",
        "CARD_CACHE": "0",
        "PYTHONPATH": str(ROOT),
    })
    return env


def psql(sql: str, database: str = "postgres") -> list:
    import psycopg

    with psycopg.connect(db_url(database), autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


# --- the databases ----------------------------------------------------------------------------

def prepare(posts: int, comments: int, *, rebuild: bool) -> str:
    name = f"{PREFIX}{posts}_{comments}"
    wanted = signature(posts, comments)
    rows = psql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{name}'"
    )
    if rows and rows[0][0] == wanted and not rebuild:
        print(f"{name}: reused (made by the same migrations and generator)")
        return name
    print(f"{name}: making it ({posts:,} posts, {comments:,} comments) — {uptime()}")
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')
    env = child_env(name)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)
    started = time.monotonic()
    subprocess.run([python, "manage.py", "bench_data", "--posts", str(posts), "--comments",
                    str(comments), "--seed", str(SEED)], cwd=ROOT, env=env, check=True)
    print(f"{name}: bench_data took {time.monotonic() - started:.0f} s — {uptime()}")
    psql(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    return name


# --- measuring: one child process per database, driven in turns -----------------------------

def pages():
    """Every page the issue names: dicts with key, label, who (reader/editor), url, data."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import Abs
    from django.utils import timezone
    from taggit.models import Tag

    from accounts.models import AuthorProfile
    from blog.models import Post, Series
    from comments.models import Comment
    from core.antispam import make_form_timestamp
    from demo.bench import COMMON_WORD, RARE_WORD

    live = Post.objects.live()
    approved = Q(comments__status=Comment.Status.APPROVED)
    with_counts = live.annotate(n=Count("comments", filter=approved))
    busy = with_counts.order_by("-n").first()
    twenty = with_counts.order_by(Abs(F("n") - 20), "-publish_at").first()  # ~20 comments
    tag = Tag.objects.annotate(n=Count("tagged_posts")).order_by("-n").first()
    profile = AuthorProfile.objects.annotate(n=Count("user__posts")).order_by("-n").first()
    series = Series.objects.filter(posts__in=live).distinct().order_by("pk").first()
    newest = live.order_by("-publish_at").first()
    month = timezone.localtime(newest.publish_at).replace(day=1) - timedelta(days=1)
    # Page 1,000, or the last full page of a smaller blog: the last page may hold a few
    # posts, and a page of five cards against one of ten measures the cards, not the depth.
    deep = max(1, min(1000, live.count() // 10))
    returning = (Comment.objects.filter(status=Comment.Status.APPROVED, user__isnull=True)
                 .exclude(email="").order_by("-created_at").first())
    form = {
        "name": returning.name, "email": returning.email, "url": "",
        "body": "Dank voor dit stuk. Bij ons in de wijk werkt het net zo.",
        "website_confirm": "", "form_started": make_form_timestamp(time.time() - 60),
    }
    busy_url = busy.get_absolute_url()
    found = [
        ("home", "home", "/"),
        ("deep", f"home, page {deep:,}", f"/?pagina={deep}"),
        ("tag", f"tag ({tag.n:,} posts)", f"/tag/{tag.slug}/"),
        ("author", f"author ({profile.n:,} posts)", f"/auteurs/{profile.slug}/"),
        ("month", "month archive", f"/archief/{month:%Y}/{month:%m}/"),
        ("archive", "/archief/", "/archief/"),
        ("post20", f"post, {twenty.n} comments", twenty.get_absolute_url()),
        ("busy", f"post, {busy.n:,} comments", busy_url),
        ("common", f"search “{COMMON_WORD}”", f"/zoeken/?q={COMMON_WORD}"),
        ("rare", f"search “{RARE_WORD}”", f"/zoeken/?q={RARE_WORD}"),
        ("rss", "feed: RSS", "/feed/"),
        ("atom", "feed: Atom", "/feed/atom/"),
        ("tag-rss", "feed: tag", f"/tag/{tag.slug}/feed/"),
        ("tag-atom", "feed: tag, Atom", f"/tag/{tag.slug}/feed/atom/"),
        ("author-rss", "feed: author", f"/auteurs/{profile.slug}/feed/"),
        ("author-atom", "feed: author, Atom", f"/auteurs/{profile.slug}/feed/atom/"),
        ("series-rss", "feed: series", f"/reeks/{series.slug}/feed/"),
        ("series-atom", "feed: series, Atom", f"/reeks/{series.slug}/feed/atom/"),
        ("comments-rss", "feed: comments", "/reacties/feed/"),
        ("post-comments-rss", "feed: a post's comments", busy_url + "reacties/feed/"),
        ("sitemap", "sitemap index", "/sitemap.xml"),
        ("sitemap-posts", "sitemap: posts, part 1", "/sitemap-posts.xml?p=1"),
    ]
    result = [{"key": key, "label": label, "who": "reader", "url": url, "data": None}
              for key, label, url in found]
    result += [
        {"key": key, "label": label, "who": "editor", "url": url, "data": None}
        for key, label, url in [
            ("admin", "admin home", "/beheer/"),
            ("admin-posts", "admin posts", "/beheer/blog/post/"),
            ("admin-live", "admin posts, published", "/beheer/blog/post/?status=live"),
            ("admin-tag", "admin posts, by tag", f"/beheer/blog/post/?tag={tag.slug}"),
            ("queue", "admin comment queue", "/beheer/comments/comment/?status__exact=pending"),
            ("admin-comments", "admin comments, all", "/beheer/comments/comment/"),
        ]
    ]
    result.append({"key": "comment", "label": "placing a comment", "who": "reader",
                   "url": f"/reacties/{twenty.pk}/", "data": form})
    return result


def serve():
    """The child: answers commands from the parent, one JSON line each."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from comments.models import Comment
    from demo.bench import BENCH_EDITOR

    clients = {"reader": Client(), "editor": Client()}
    clients["editor"].force_login(User.objects.get(username=BENCH_EDITOR))
    # The comments placed here are removed at the end, so the next run finds the same blog.
    last_comment = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found = pages()

    def call(page):
        client = clients[page["who"]]
        if page["data"] is None:
            return client.get(page["url"])
        return client.post(page["url"], page["data"])

    def answer(value):
        sys.stdout.write("@@" + json.dumps(value) + "\n")
        sys.stdout.flush()

    answer([{"key": p["key"], "label": p["label"], "url": p["url"]} for p in found])
    for line in sys.stdin:
        command, *args = line.split()
        if command == "run":
            page, times = found[int(args[0])], int(args[1])
            timings = []
            for _ in range(times):
                started = time.perf_counter()
                call(page)
                timings.append((time.perf_counter() - started) * 1000)
            answer(timings)
        elif command == "profile":
            page = found[int(args[0])]
            with CaptureQueriesContext(connection) as capture:
                response = call(page)
            queries = list(capture.captured_queries)  # the next request clears the log
            statements = [q for q in queries if q["sql"].lstrip().split(" ", 1)[0].upper()
                          in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}]
            slowest = max(statements, key=lambda q: float(q["time"]), default=None)
            plan = ""
            if slowest is not None:
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                        transaction.set_rollback(True)  # EXPLAIN ANALYZE of an INSERT inserts
                except Exception as error:  # noqa: BLE001 (a plan is a help, not the result)
                    plan = f"(no plan: {error})"
            answer({"status": response.status_code, "bytes": len(response.content),
                    "queries": len(queries),
                    "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
                    "slowest_sql": slowest["sql"] if slowest else "", "plan": plan})
        elif command == "quit":
            break
    Comment.objects.filter(pk__gt=last_comment).delete()
    answer("bye")


class Child:
    def __init__(self, database: str):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"], cwd=ROOT, env=child_env(database),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.pages = self.read()

    def read(self):
        for line in self.process.stdout:
            if line.startswith("@@"):
                return json.loads(line[2:])
        raise SystemExit(f"the measuring process stopped (exit {self.process.wait()})")

    def ask(self, command: str):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.ask("quit")
        self.process.wait()


def measure(databases: list[str], requests: int, warmup: int, rounds: int = 5) -> list[dict]:
    """Each page on every database in turns (a round of requests here, then there), so a
    change in the machine's load hits all sizes alike. Returns one result per database."""
    children = [Child(name) for name in databases]
    keys = [[p["key"] for p in child.pages] for child in children]
    assert all(k == keys[0] for k in keys), keys
    only = os.environ.get("BENCH_ONLY", "")
    results = [{"uptime_start": uptime(), "pages": []} for _ in children]
    per_round = max(1, requests // rounds)
    for index, key in enumerate(keys[0]):
        if only and key not in only.split(","):
            continue
        timings = [[] for _ in children]
        for child in children:
            child.ask(f"run {index} {warmup}")
        for _ in range(rounds):
            for child, collected in zip(children, timings, strict=True):
                collected += child.ask(f"run {index} {per_round}")
        for child, collected, result in zip(children, timings, results, strict=True):
            collected.sort()
            entry = {**child.pages[index], **child.ask(f"profile {index}"),
                     "p50": statistics.median(collected),
                     "p95": collected[max(0, round(0.95 * len(collected)) - 1)]}
            result["pages"].append(entry)
        line = "  ".join(f"{r['pages'][-1]['p50']:7.1f} ms" for r in results)
        print(f"  {results[-1]['pages'][-1]['label']:<34} p50 {line}", flush=True)
    for child in children:
        child.close()
    for result in results:
        result["uptime_end"] = uptime()
    return results


# --- the table --------------------------------------------------------------------------------

def report(sizes: list[tuple[int, int]]):
    path = OUT / ("scale-" + "-".join(f"{p}_{c}" for p, c in sizes) + ".json")
    runs = json.loads(path.read_text())
    (small_size, small), (large_size, large) = runs[0], runs[-1]
    print()
    for size, run in runs:
        print(f"{size[0]:,} posts / {size[1]:,} comments")
        print(f"  start: {run['uptime_start']}\n  end:   {run['uptime_end']}")

    def name(size):
        return f"{size[0] // 1000:,}k" if size[0] >= 1000 else str(size[0])

    print()
    print(f"| page | {name(small_size)} p50 | {name(small_size)} p95 | {name(large_size)} p50 "
          f"| {name(large_size)} p95 | ratio | queries | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = []
    for before, after in zip(small["pages"], large["pages"], strict=True):
        ratio = after["p50"] / before["p50"] if before["p50"] else float("inf")
        ok = ratio <= TARGET_RATIO and after["p50"] <= TARGET_MS
        label = after["label"] if before["label"] == after["label"] else \
            f"{after['label']} ({before['label'].split(' (')[-1].rstrip(')')} at {name(small_size)})"
        if after["status"] not in (200, 302) or before["status"] not in (200, 302):
            label += f" (HTTP {before['status']}/{after['status']})"
            ok = False
        if not ok:
            missed.append(after)
        queries = str(after["queries"]) if before["queries"] == after["queries"] else \
            f"{before['queries']} → {after['queries']}"
        print(f"| {label} | {before['p50']:.1f} | {before['p95']:.1f} | {after['p50']:.1f} | "
              f"{after['p95']:.1f} | {ratio:.2f} | {queries} | {'ok' if ok else 'MISSED'} |")
    print()
    if not missed:
        print(f"Every page is within {TARGET_RATIO}× and {TARGET_MS:.0f} ms.")
    for page in missed:
        print(f"--- {page['label']} ({page['url']}): slowest query {page['slowest_ms']:.1f} ms")
        print(page["slowest_sql"][:3000])
        print(page["plan"])
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000:10000,100000:1000000",
                        help="posts:comments,posts:comments (the first is the baseline)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    parser.add_argument("--report", action="store_true", help="only print the last table")
    parser.add_argument("--prepare", action="store_true", help="only make the databases")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # a child
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    sizes = [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",")]
    if not args.report:
        OUT.mkdir(parents=True, exist_ok=True)
        names = [prepare(posts, comments, rebuild=args.rebuild) for posts, comments in sizes]
        if args.prepare:
            return
        print(f"measuring {', '.join(names)} in turns — {uptime()}", flush=True)
        results = measure(names, args.requests, args.warmup)
        path = OUT / ("scale-" + "-".join(f"{p}_{c}" for p, c in sizes) + ".json")
        path.write_text(json.dumps(list(zip(sizes, results, strict=True)), indent=1))
    report(sizes)


if __name__ == "__main__":
    main()
