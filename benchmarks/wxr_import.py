"""Benchmark the WordPress import: generate a large WXR file, import it, print time and memory.

    python benchmarks/wxr_import.py                      # 5,000 posts, 20,000 comments
    python benchmarks/wxr_import.py --posts 500 --comments 2000 --tracemalloc

It runs on a fresh SQLite database in a temporary folder (set DATABASE_URL to use another
database: it must be empty and is migrated first). It prints the file size, the import time,
the items per second, the process's peak resident memory and, with --tracemalloc (slower),
the peak of Python's own allocations during the import. The second run of the same file
(nothing new: the idempotency check) is timed too.

`write_wxr` is also used by tests/test_wxr_memory.py.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

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


def _setup_django(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings_test")
    os.environ["WELZIJN_VAR_DIR"] = str(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the peak of Python allocations (slower)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wxr-bench-") as tmp:
        workdir = Path(tmp)
        _setup_django(workdir)
        from wordpress.importer import WxrImporter

        path = workdir / "groot.wxr"
        began = time.perf_counter()
        size = write_wxr(path, posts=args.posts, comments=args.comments)
        print(f"file: {args.posts} posts, {args.comments} comments, {size / 1e6:.1f} MB "
              f"(written in {time.perf_counter() - began:.1f} s)")

        rss_before = _rss_mb()
        if args.tracemalloc:
            tracemalloc.start()
        began = time.perf_counter()
        report = WxrImporter(path, progress=lambda m: print("  " + m, file=sys.stderr)).run()
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        if args.tracemalloc:
            tracemalloc.stop()
        items = report.count("post") + report.count("comment")
        print(f"import: {seconds:.1f} s, {items / seconds:.0f} posts+comments/s "
              f"({report.count('post')} posts, {report.count('comment')} comments, "
              f"{len(report.findings.get('skipped', []))} skipped)")
        print(f"peak resident memory: {_rss_mb():.0f} MB (before the import: {rss_before:.0f} MB)")
        if peak is not None:
            print(f"peak Python allocations during the import: {peak / 1e6:.1f} MB "
                  f"({peak / size:.2f} × the file size)")

        began = time.perf_counter()
        again = WxrImporter(path).run()
        print(f"second run (nothing new): {time.perf_counter() - began:.1f} s, "
              f"{sum(again.created.values())} created")


if __name__ == "__main__":
    main()
