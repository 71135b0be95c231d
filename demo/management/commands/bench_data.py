"""`manage.py bench_data --posts N --comments M [--seed S]`: a big blog for benchmarks.

The shape is described in demo/bench.py. It refuses a database that already has posts
(it is meant for an empty, freshly migrated benchmark database) unless `--append` is given,
so it cannot fill a real site with generated posts by accident.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from blog.models import Post
from demo import bench


class Command(BaseCommand):
    help = (
        "Vult een (lege) database snel met een blog van N berichten en M reacties, voor "
        "benchmarks (make bench-scale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, required=True)
        parser.add_argument("--comments", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append", action="store_true",
            help="Ook toevoegen aan een database die al berichten heeft.",
        )

    def handle(self, *args, posts, comments, seed, append, **options):
        if posts < 1 or comments < 0:
            raise CommandError("--posts moet minstens 1 zijn en --comments minstens 0.")
        if not append and Post.objects.exists():
            raise CommandError(
                "Deze database heeft al berichten. bench_data is bedoeld voor een lege "
                "benchmarkdatabase; gebruik --append om er toch berichten bij te zetten."
            )
        started = time.monotonic()
        report = bench.fill(posts=posts, comments=comments, seed=seed,
                            log=lambda line: self.stdout.write(f"  {line}"))
        bench.analyze()
        counts = ", ".join(f"{count} {kind}" for kind, count in report.counts.items())
        self.stdout.write(
            f"bench_data: {counts} in {time.monotonic() - started:.0f} s, "
            f"peak memory {report.peak_memory_mb:.0f} MB"
        )
