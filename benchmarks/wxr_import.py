"""Benchmark the WordPress import: generate a large WXR file, import it, print a table.

    make bench-import                                    # what CI and the README quote
    python benchmarks/wxr_import.py                      # 5,000 posts, 20,000 comments
    python benchmarks/wxr_import.py --posts 500 --comments 2000

Each database gets a fresh process and a fresh, migrated database: SQLite in a temporary
folder, and PostgreSQL when BENCH_POSTGRES_URL (or DATABASE_URL) names a server — a database
called `<BENCH_DB_PREFIX><pid>` (default prefix `welzijn_bench_`) is created there and
dropped afterwards. The table gives per database: the import's time (wall clock, and the
CPU time of the importing process, which a busy machine disturbs less), posts + comments per
second, the process's peak resident memory (what the target of 300 MB is about), the second
run of the same file (nothing new: the idempotency check), and whether the targets (under
60 s, under 300 MB) hold. The machine's load is printed with it: on a busy machine the
seconds mean less.

`write_wxr` is also used by tests/test_wxr_memory.py.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]

WORDS = (
    "welzijn buurt vrijwilligers gemeente wijkteam zorg jongeren ouderen mantelzorg "
    "participatie netwerk sociale media verbinding opbouwwerk klant verhaal vertrouwen "
    "trend toekomst samenwerking buurthuis activiteit ondersteuning preventie talent"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, paragraphs: int, index: int) -> str:
    parts = []
    for p in range(paragraphs):
        lines = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(rng.randint(1, 2))]
        parts.append("\n".join(lines))
        if p == 1 and index % 3 == 0:
            parts.append("<ul>\n" + "\n".join(f"<li>{_sentence(rng)}</li>" for _ in range(4))
                         + "\n</ul>")
        if p == 2 and index % 5 == 0:
            parts.append('[caption id="attachment_1" align="alignleft" width="300"]'
                         f'<img src="https://groot.example.org/wp-content/uploads/2010/12/'
                         f'foto-{index}.jpg" alt="Foto" width="300" height="200" /> '
                         f"{_sentence(rng)}[/caption]")
        if p == 3 and index % 7 == 0:
            parts.append(f"https://www.youtube.com/watch?v=v{index}")
    return "\n\n".join(parts)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_wxr(path, *, posts: int, comments: int, paragraphs: int = 6, seed: int = 2010,
              authors: int = 20, revisions: int = 0, revision_size: int = 20_000) -> int:
    """A WXR 1.2 file like a real blog's: authors, terms, posts with tags and threaded
    comments, a few shortcodes and trend meta; optionally old revisions (content the import
    reads past). Written as a stream; returns its size in bytes."""
    rng = random.Random(seed)
    start = datetime(2008, 1, 1, 7, 0)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            "\t<title>Groot blog</title>\n\t<link>https://groot.example.org</link>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            "\t<wp:base_site_url>https://groot.example.org</wp:base_site_url>\n"
            "\t<wp:base_blog_url>https://groot.example.org</wp:base_blog_url>\n"
        )
        for a in range(1, authors + 1):
            out.write(
                f"\t<wp:author><wp:author_id>{a}</wp:author_id><wp:author_login>"
                f"{_cdata(f'auteur{a}')}</wp:author_login><wp:author_email>"
                f"{_cdata(f'auteur{a}@groot.example.org')}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(f'Auteur {a}')}</wp:author_display_name>"
                "</wp:author>\n"
            )
        comment_id = 1
        per_post, extra = divmod(comments, posts) if posts else (0, 0)
        for i in range(1, posts + 1):
            when = start + timedelta(hours=13 * i)
            local = when.strftime("%Y-%m-%d %H:%M:%S")
            gmt = (when - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
            slug = f"bericht-{i}"
            tags = rng.sample(range(50), 3)
            out.write(
                "\t<item>\n"
                f"\t\t<title>{_cdata(f'Bericht {i}: ' + _sentence(rng)[:60])}</title>\n"
                f"\t\t<link>https://groot.example.org/{when:%Y/%m}/{slug}/</link>\n"
                f"\t\t<dc:creator>{_cdata(f'auteur{1 + i % authors}')}</dc:creator>\n"
                f'\t\t<guid isPermaLink="false">https://groot.example.org/?p={i}</guid>\n'
                f"\t\t<content:encoded>{_cdata(_body(rng, paragraphs, i))}</content:encoded>\n"
                f"\t\t<excerpt:encoded>{_cdata('')}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{i}</wp:post_id>\n"
                f"\t\t<wp:post_date>{_cdata(local)}</wp:post_date>\n"
                f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n"
                f"\t\t<wp:comment_status>{_cdata('open')}</wp:comment_status>\n"
                f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n"
                f"\t\t<wp:status>{_cdata('publish' if i % 20 else 'draft')}</wp:status>\n"
                f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n"
                f'\t\t<category domain="category" nicename="rubriek-{i % 8}">'
                f"{_cdata(f'Rubriek {i % 8}')}</category>\n"
                + "".join(f'\t\t<category domain="post_tag" nicename="label-{t}">'
                          f"{_cdata(f'label {t}')}</category>\n" for t in tags)
                + (f"\t\t<wp:postmeta><wp:meta_key>{_cdata('trend_2010')}</wp:meta_key>"
                   f"<wp:meta_value>{_cdata(str(1 + i % 11))}</wp:meta_value></wp:postmeta>\n"
                   if i % 4 == 0 else "")
            )
            first = comment_id
            for c in range(per_post + (1 if i <= extra else 0)):
                parent = comment_id - 1 if c % 3 == 2 else 0
                moment = when + timedelta(hours=2 + c)
                out.write(
                    "\t\t<wp:comment>"
                    f"<wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{_cdata(f'Lezer {comment_id % 300}')}"
                    "</wp:comment_author>"
                    f"<wp:comment_author_email>{_cdata(f'lezer{comment_id % 300}@example.org')}"
                    "</wp:comment_author_email>"
                    "<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_date>{_cdata(moment.strftime('%Y-%m-%d %H:%M:%S'))}"
                    "</wp:comment_date>"
                    f"<wp:comment_date_gmt>"
                    f"{_cdata((moment - timedelta(hours=1)).strftime('%Y-%m-%d %H:%M:%S'))}"
                    "</wp:comment_date_gmt>"
                    f"<wp:comment_content>{_cdata(_sentence(rng) + ' ' + _sentence(rng))}"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{_cdata('1' if c % 10 else '0')}"
                    "</wp:comment_approved>"
                    f"<wp:comment_type>{_cdata('comment')}</wp:comment_type>"
                    f"<wp:comment_parent>{parent if parent >= first else 0}</wp:comment_parent>"
                    "<wp:comment_user_id>0</wp:comment_user_id>"
                    "</wp:comment>\n"
                )
                comment_id += 1
            out.write("\t</item>\n")
        for r in range(1, revisions + 1):
            text = "\n\n".join(_sentence(rng) for _ in range(revision_size // 100))
            out.write(
                f"\t<item><title>{_cdata(f'Revisie {r}')}</title>"
                f"<dc:creator>{_cdata('auteur1')}</dc:creator>"
                f"<content:encoded>{_cdata(text[:revision_size])}</content:encoded>"
                f"<wp:post_id>{posts + r}</wp:post_id><wp:status>{_cdata('inherit')}</wp:status>"
                f"<wp:post_parent>{1 + r % max(posts, 1)}</wp:post_parent>"
                f"<wp:post_type>{_cdata('revision')}</wp:post_type></item>\n"
            )
        out.write("</channel>\n</rss>\n")
    return os.path.getsize(path)


TARGET_SECONDS = 60
TARGET_MB = 300


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def one_run(database_url: str, posts: int, comments: int) -> dict:
    """In a fresh process: migrate, write the file, import it twice; the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="wxr-bench-") as tmp:
        workdir = Path(tmp)
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings_test")
        os.environ["WELZIJN_VAR_DIR"] = str(workdir)
        os.environ["MEDIA_ROOT"] = str(workdir / "media")
        if database_url:
            os.environ["DATABASE_URL"] = database_url
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from wordpress.importer import WxrImporter

        path = workdir / "groot.wxr"
        size = write_wxr(path, posts=posts, comments=comments)
        rss_before = _rss_mb()
        began, cpu = time.perf_counter(), time.process_time()
        report = WxrImporter(path).run()
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        rss_peak = _rss_mb()
        began = time.perf_counter()
        again = WxrImporter(path).run()
        second = time.perf_counter() - began
        return {
            "database": connection.vendor, "posts": report.count("post"),
            "comments": report.count("comment"), "file_mb": size / 1e6, "seconds": seconds,
            "cpu_seconds": cpu,
            "rss_mb": rss_peak, "rss_before_mb": rss_before,
            "skipped": len(report.findings.get("skipped", [])), "second_run": second,
            "second_created": sum(again.created.values()),
        }


def _admin_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _postgres(url: str, posts: int, comments: int) -> dict:
    import psycopg

    name = f"{os.environ.get('BENCH_DB_PREFIX', 'welzijn_bench_')}{os.getpid()}"
    admin = _admin_url(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return _child(_admin_url(url, name), posts, comments)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(database_url: str, posts: int, comments: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--one", database_url or "sqlite", "--posts", str(posts),
         "--comments", str(comments)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {database_url or 'SQLite'} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    head = ("database", "posts", "comments", "file MB", "import s", "CPU s", "items/s",
            "peak RSS MB",
            "2nd run s", f"< {TARGET_SECONDS} s", f"< {TARGET_MB} MB")
    rows = [head]
    for r in results:
        rows.append((
            r["database"], f"{r['posts']:,}", f"{r['comments']:,}", f"{r['file_mb']:.1f}",
            f"{r['seconds']:.1f}", f"{r['cpu_seconds']:.1f}",
            f"{(r['posts'] + r['comments']) / r['seconds']:,.0f}",
            f"{r['rss_mb']:.0f}", f"{r['second_run']:.1f}",
            "yes" if r["seconds"] < TARGET_SECONDS else "NO",
            "yes" if r["rss_mb"] < TARGET_MB else "NO",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
             for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process: one database
    args = parser.parse_args()
    if args.one:
        url = "" if args.one == "sqlite" else args.one
        print(json.dumps(one_run(url, args.posts, args.comments)))
        return

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"WordPress import: {args.posts:,} posts, {args.comments:,} comments; "
          f"load average before: {load} ({os.cpu_count()} cores)", flush=True)
    results = [_child("", args.posts, args.comments)]
    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if postgres.startswith("postgres"):
        results.append(_postgres(postgres, args.posts, args.comments))
    else:
        print("(PostgreSQL skipped: set BENCH_POSTGRES_URL=postgres://user@host:5432/any)")
    print(table(results))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after: {load}")
    failed = [r for r in results if r["skipped"] or r["second_created"]]
    if failed:
        raise SystemExit("items were skipped, or the second run created something")


if __name__ == "__main__":
    main()
