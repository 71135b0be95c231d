"""Benchmark the site at two sizes: are pages as fast with 100,000 posts as with 1,000?

    python benchmarks/scale.py                                  # 1k/10k and 100k/1M (make bench-scale)
    python benchmarks/scale.py --sizes 1000:10000,20000:200000  # other sizes
    python benchmarks/scale.py --report                         # the table again, from the last run

For each size it makes (or reuses) a PostgreSQL database `<BENCH_DB_PREFIX><posts>_<comments>`
on `BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432, prefix `welzijn_bench_`):
migrated, filled by `manage.py bench_data` (its time and peak memory are printed) and
vacuumed. A database is reused while its comment says it was made by the same migrations
and generator with the same sizes and seed; anything else is dropped and made again.

Then, in a fresh process per size, Django's test Client requests every page in-process (no
HTTP server, no network: the figures are Django, the templates and PostgreSQL), one request
at a time: 5 to warm up, then `--requests` (50) timed ones, p50 and p95. With `REDIS_URL`
set the cache is Redis, as in production; otherwise Django's local-memory cache. Public pages
are requested as an anonymous reader, the admin pages as the editor `bench-redactie`.

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
        "DJANGO_SETTINGS_MODULE": "welzijn.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "COMMENT_RATE_LIMIT": "100000/m",
        "COMMENT_MIN_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
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


# --- measuring (runs in a child process, one per database) ------------------------------------

def pages(client_for_reader, editor_client):
    """(label, method, client, url, data) for every page the issue names."""
    from django.db.models import Count, Q
    from django.utils import timezone
    from taggit.models import Tag

    from accounts.models import AuthorProfile
    from blog.models import Post, Series
    from comments.models import Comment
    from core.antispam import make_form_timestamp
    from demo.bench import COMMON_WORD, RARE_WORD

    live = Post.objects.live()
    approved = Q(comments__status=Comment.Status.APPROVED)
    busy = (live.annotate(n=Count("comments", filter=approved)).filter(n__gte=2000)
            .order_by("-n").first())
    twenty = (live.annotate(n=Count("comments", filter=approved)).filter(n__range=(18, 22))
              .order_by("-publish_at").first())
    tag = (Tag.objects.annotate(n=Count("tagged_posts")).order_by("-n").first())
    profile = (AuthorProfile.objects.annotate(n=Count("user__posts")).order_by("-n").first())
    series = Series.objects.filter(posts__in=live).distinct().order_by("pk").first()
    newest = live.order_by("-publish_at").first()
    month = timezone.localtime(newest.publish_at).replace(day=1) - timedelta(days=1)
    per_page = 10
    last_page = -(-live.count() // per_page)
    deep = min(1000, last_page)
    returning = (Comment.objects.filter(status=Comment.Status.APPROVED, user__isnull=True)
                 .exclude(email="").order_by("-created_at").first())
    form = {
        "name": returning.name, "email": returning.email, "url": "",
        "body": "Dank voor dit stuk. Bij ons in de wijk werkt het net zo.",
        "website_confirm": "", "form_started": make_form_timestamp(time.time() - 60),
    }
    reader = client_for_reader
    yield "home", "get", reader, "/", None
    yield f"home, page {deep:,}", "get", reader, f"/?pagina={deep}", None
    yield f"tag ({tag.n:,} posts)", "get", reader, f"/tag/{tag.slug}/", None
    yield f"author ({profile.n:,} posts)", "get", reader, f"/auteurs/{profile.slug}/", None
    yield "month archive", "get", reader, f"/archief/{month:%Y}/{month:%m}/", None
    yield "/archief/", "get", reader, "/archief/", None
    yield f"post, {twenty.n} comments", "get", reader, twenty.get_absolute_url(), None
    yield f"post, {busy.n:,} comments", "get", reader, busy.get_absolute_url(), None
    yield f"search “{COMMON_WORD}”", "get", reader, f"/zoeken/?q={COMMON_WORD}", None
    yield f"search “{RARE_WORD}”", "get", reader, f"/zoeken/?q={RARE_WORD}", None
    yield "feed: RSS", "get", reader, "/feed/", None
    yield "feed: Atom", "get", reader, "/feed/atom/", None
    yield "feed: tag", "get", reader, f"/tag/{tag.slug}/feed/", None
    yield "feed: tag, Atom", "get", reader, f"/tag/{tag.slug}/feed/atom/", None
    yield "feed: author", "get", reader, f"/auteurs/{profile.slug}/feed/", None
    yield "feed: author, Atom", "get", reader, f"/auteurs/{profile.slug}/feed/atom/", None
    yield "feed: series", "get", reader, f"/reeks/{series.slug}/feed/", None
    yield "feed: series, Atom", "get", reader, f"/reeks/{series.slug}/feed/atom/", None
    yield "feed: comments", "get", reader, "/reacties/feed/", None
    yield "feed: a post's comments", "get", reader, busy.get_absolute_url() + "reacties/feed/", \
        None
    yield "sitemap index", "get", reader, "/sitemap.xml", None
    yield "sitemap: posts, part 1", "get", reader, "/sitemap-posts.xml?p=1", None
    yield "admin home", "get", editor_client, "/beheer/", None
    yield "admin posts", "get", editor_client, "/beheer/blog/post/", None
    yield "admin posts, published", "get", editor_client, "/beheer/blog/post/?status=live", None
    yield "admin posts, by tag", "get", editor_client, f"/beheer/blog/post/?tag={tag.slug}", \
        None
    yield "admin comment queue", "get", editor_client, \
        "/beheer/comments/comment/?status__exact=pending", None
    yield "admin comments, all", "get", editor_client, "/beheer/comments/comment/", None
    yield "placing a comment", "post", reader, f"/reacties/{twenty.pk}/", form


def measure(requests: int, warmup: int, out: Path):
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from comments.models import Comment
    from demo.bench import BENCH_EDITOR

    reader = Client()
    editor = Client()
    editor.force_login(User.objects.get(username=BENCH_EDITOR))
    results = {"uptime_start": uptime(), "pages": []}
    # The comments placed here are removed at the end, so the next run finds the same blog.
    last_comment = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    only = os.environ.get("BENCH_ONLY", "")
    for label, method, client, url, data in pages(reader, editor):
        if only and not any(part in label for part in only.split(",")):
            continue
        def call(client=client, method=method, url=url, data=data):
            return client.get(url) if method == "get" else client.post(url, data)

        for _ in range(warmup):
            call()
        with CaptureQueriesContext(connection) as capture:
            response = call()
        queries = list(capture.captured_queries)  # the next request clears the log
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        plan = ""
        if slowest is not None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                transaction.set_rollback(True)  # EXPLAIN ANALYZE of an INSERT inserts
        timings.sort()
        if response.status_code not in (200, 302):
            print(f"  {label}: {url} answered {response.status_code}", flush=True)
        entry = {
            "label": label, "url": url, "status": response.status_code,
            "bytes": len(response.content),
            "p50": statistics.median(timings),
            "p95": timings[max(0, round(0.95 * len(timings)) - 1)],
            "queries": len(queries),
            "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
            "slowest_sql": slowest["sql"] if slowest else "",
            "plan": plan,
        }
        results["pages"].append(entry)
        print(f"  {label:<34} p50 {entry['p50']:7.1f} ms  p95 {entry['p95']:7.1f} ms  "
              f"{entry['queries']:3d} queries", flush=True)
    Comment.objects.filter(pk__gt=last_comment).delete()
    results["uptime_end"] = uptime()
    out.write_text(json.dumps(results, indent=1))


# --- the table --------------------------------------------------------------------------------

def report(sizes: list[tuple[int, int]]):
    runs = []
    for posts, comments in sizes:
        path = OUT / f"scale-{posts}-{comments}.json"
        runs.append(((posts, comments), json.loads(path.read_text())))
    (small_size, small), (large_size, large) = runs[0], runs[-1]
    print()
    for size, run in runs:
        print(f"{size[0]:,} posts / {size[1]:,} comments: {run['uptime_start']}")
        print(f"{'':>{len(f'{size[0]:,} posts / {size[1]:,} comments: ')}}{run['uptime_end']}")
    small_n = f"{small_size[0] // 1000:,}k"
    large_n = f"{large_size[0] // 1000:,}k"
    header = (f"| page | {small_n} p50 | {small_n} p95 | {large_n} p50 | {large_n} p95 | ratio "
              f"| queries | |")
    print()
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = []
    for before, after in zip(small["pages"], large["pages"], strict=True):
        ratio = after["p50"] / before["p50"] if before["p50"] else float("inf")
        ok = ratio <= TARGET_RATIO and after["p50"] <= TARGET_MS
        if not ok:
            missed.append(after)
        label = after["label"] if before["label"] == after["label"] else \
            f"{after['label']} ({before['label']})"
        queries = str(after["queries"]) if before["queries"] == after["queries"] else \
            f"{before['queries']} → {after['queries']}"
        if after["status"] not in (200, 302) or before["status"] not in (200, 302):
            label += f" (HTTP {before['status']}/{after['status']})"
            ok = False
        print(f"| {label} | {before['p50']:.1f} | {before['p95']:.1f} | {after['p50']:.1f} | "
              f"{after['p95']:.1f} | {ratio:.2f} | {queries} | {'ok' if ok else 'MISSED'} |")
    print()
    if not missed:
        print(f"Every page is within {TARGET_RATIO}× and {TARGET_MS:.0f} ms.")
    for page in missed:
        print(f"--- {page['label']} ({page['url']}): slowest query {page['slowest_ms']:.1f} ms")
        print(page["slowest_sql"][:2000])
        print(page["plan"])
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000:10000,100000:1000000",
                        help="posts:comments,posts:comments (the first is the baseline)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    parser.add_argument("--report", action="store_true", help="only print the last tables")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child: the output file
    args = parser.parse_args()
    if args.measure:
        measure(args.requests, args.warmup, Path(args.measure))
        return
    sizes = [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",")]
    if not args.report:
        OUT.mkdir(parents=True, exist_ok=True)
        for posts, comments in sizes:
            name = prepare(posts, comments, rebuild=args.rebuild)
            print(f"measuring {name} — {uptime()}", flush=True)
            out = OUT / f"scale-{posts}-{comments}.json"
            subprocess.run(
                [sys.executable, __file__, "--measure", str(out), "--requests",
                 str(args.requests), "--warmup", str(args.warmup)],
                cwd=ROOT, env=child_env(name), check=True,
            )
    report(sizes)


if __name__ == "__main__":
    main()
