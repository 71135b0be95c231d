"""`make bench`: how fast readers get pages, uncached and cached, against nginx's own speed.

    python -m benchmarks.pages [--seconds 5] [--rounds 3] [--connections 16] [--posts 100]

Builds a site of its own (benchmarks/site.py: PostgreSQL when DATABASE_URL is set, else
SQLite; the page cache in Redis with REDIS_URL, else in files), loads the fixed corpus
(benchmarks/corpus.py: 100 posts of 1,000 words, 2 tags and 20 approved comments each),
starts three gunicorn nodes of 2 workers (PAGE_CACHE=0; PAGE_CACHE=1; both caches off) and
the shipped nginx site (deploy/nginx/welzijn.conf, on a loopback port, without TLS) in front
of the cached one, and runs wrk against:

- nginx serving a static 30 KB file, and the feed's own bytes as a file (the references);
- home, the newest post (20 comments) and /feed/: uncached (every request renders, straight
  to the PAGE_CACHE=0 node), from the app's cache (straight to the other node), and through
  nginx (its micro-cache in front of the app's cache);
- home uncached with the card cache off as well (a third node, CARD_CACHE=0): every request
  makes its ten post cards, as when none of the page's posts has been shown since it changed.

Targets are run in interleaved rounds (the machine is shared: each figure is the median of
the rounds). Prints one table: requests per second, p50 and p99 latency, server CPU per
request (nginx, gunicorn and the PostgreSQL backends of this site, from /proc; wrk runs on
the same cores and is not counted), SQL queries per page, and each req/s as a share of the
static file's. `uptime` is printed before and after: the load says how far to trust it.
Everything it started is stopped at the end, also on Ctrl-C or an error.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.site import ROOT, Site
from deploy.nginx.loopback import Nginx, free_port, port_range

TICK = os.sysconf("SC_CLK_TCK")


# --- wrk ------------------------------------------------------------------------------------

@dataclass
class Run:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float = 0.0


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> Run:
    """The figures of one `wrk --latency` run."""
    requests, seconds = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output).group(1, 2)
    unit = re.search(r"\d+ requests in [\d.]+(m?s)", output).group(1)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    for line in re.findall(r"Socket errors: (.*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", line))
    return Run(
        requests=int(requests),
        seconds=float(seconds) / (1000 if unit == "ms" else 1),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        errors=errors,
    )


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def wrk(url: str, *, seconds: int, connections: int, pids) -> Run:
    before_pids = pids()
    before = cpu_seconds(before_pids)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         url], capture_output=True, text=True, timeout=seconds + 60,
    )
    if result.returncode:
        raise RuntimeError(f"wrk failed for {url}:\n{result.stderr}")
    run = parse_wrk(result.stdout)
    used = cpu_seconds(before_pids) - before
    run.cpu_ms = used * 1000 / max(run.requests, 1)
    return run


# --- the table ------------------------------------------------------------------------------

@dataclass
class Target:
    label: str
    url: str
    pids: object  # () -> the server processes to charge
    queries: str = ""
    reference: str = "static"  # the row whose req/s this one is compared with
    runs: list = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(run, name) for run in self.runs)

    @property
    def cpu_ms(self) -> float:
        requests = sum(run.requests for run in self.runs)
        return sum(run.cpu_ms * run.requests for run in self.runs) / max(requests, 1)


def table(targets: dict[str, Target]) -> str:
    static = targets["static"].median("rps")
    feed_file = targets["feed-file"].median("rps")
    lines = [
        "| page | how | req/s | p50 ms | p99 ms | server CPU ms/req | SQL queries | "
        "share of static 30 KB | share of the feed file |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in targets.values():
        rps = target.median("rps")
        page, _sep, how = target.label.partition(": ")
        feed_share = f"{rps / feed_file:.1%}" if "feed" in target.label.lower() else ""
        errors = sum(run.errors for run in target.runs)
        lines.append(
            f"| {page} | {how}{' (' + str(errors) + ' errors)' if errors else ''} | {rps:,.0f} | "
            f"{target.median('p50_ms'):.2f} | {target.median('p99_ms'):.2f} | "
            f"{target.cpu_ms:.2f} | {target.queries} | {rps / static:.1%} | {feed_share} |"
        )
    return "\n".join(lines)


COUNT_QUERIES = """
import json
from django.db import connection
from django.test import Client
urls = json.loads({urls!r})
client, counts = Client(), {{}}
for name, url in urls.items():
    client.get(url)  # warm: the first request of a process loads what it keeps
    executed = []
    with connection.execute_wrapper(lambda run, sql, params, many, ctx: executed.append(sql)
                                    or run(sql, params, many, ctx)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    counts[name] = len(executed)
print(json.dumps(counts))
"""


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20)
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "welzijn_bench"),
                        help="PostgreSQL database to create (and drop) on DATABASE_URL's server")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2

    print(f"before: {uptime()}", flush=True)
    if args.folder.exists():
        shutil.rmtree(args.folder)
    site = Site(args.folder, name=args.database)
    nginx = None
    try:
        print("building the site (migrate, collectstatic, corpus) …", flush=True)
        site.create(collectstatic=True)
        corpus = json.loads(site.python(
            "import json\nfrom benchmarks import corpus\n"
            f"print(json.dumps(corpus.load(posts={args.posts}, words={args.words}, "
            f"comments={args.comments})))"))
        urls = {"home": "/", "post": corpus["post_url"], "feed": "/feed/"}
        analyze(site)
        queries = json.loads(site.python(COUNT_QUERIES.format(urls=json.dumps(urls)),
                                         PAGE_CACHE="0"))
        cold_queries = json.loads(site.python(COUNT_QUERIES.format(urls=json.dumps(urls)),
                                              PAGE_CACHE="0", CARD_CACHE="0"))

        low, high = port_range()
        ports: set[int] = set()
        for _ in range(5):
            ports.add(free_port(low, high, ports))
        uncached_port, cached_port, nginx_port, redirect_port, cold_port = sorted(ports)
        uncached = site.start_node(uncached_port, workers=2, PAGE_CACHE="0")
        # Renders every card too: what a page costs when none of its posts' cards is kept.
        cold = site.start_node(cold_port, workers=2, PAGE_CACHE="0", CARD_CACHE="0")
        cached = site.start_node(cached_port, workers=2, PAGE_CACHE="1")
        nginx = Nginx(args.folder / "nginx", upstreams=[f"127.0.0.1:{cached_port}"],
                      static_root=args.folder / "static", media_root=args.folder / "media",
                      ports=(nginx_port, redirect_port)).start()

        # The references: a 30 KB file, and the feed's own bytes, both from nginx's disk.
        reference = args.folder / "static" / "bench"
        reference.mkdir(exist_ok=True)
        (reference / "static-30k.html").write_bytes(
            ((b"<p>" + b"welzijn " * 12 + b"</p>\n") * 300)[:30 * 1024])
        feed_bytes = _fetch(f"http://127.0.0.1:{cached_port}/feed/")
        (reference / "feed.xml").write_bytes(feed_bytes)

        app_pids = {uncached_port: lambda: site.pids(uncached) + db_pids(site),
                    cold_port: lambda: site.pids(cold) + db_pids(site),
                    cached_port: lambda: site.pids(cached) + db_pids(site)}
        both = lambda: nginx.pids() + site.pids(cached) + db_pids(site)  # noqa: E731
        targets = {
            "static": Target("static 30 KB file: nginx", f"{nginx.url}/static/bench/static-30k.html",
                             nginx.pids),
            "feed-file": Target(f"feed as a file ({len(feed_bytes) // 1024} KB): nginx",
                                f"{nginx.url}/static/bench/feed.xml", nginx.pids),
        }
        for name, path in urls.items():
            targets[f"{name}-uncached"] = Target(
                f"{name}: uncached (renders)", f"http://127.0.0.1:{uncached_port}{path}",
                app_pids[uncached_port], queries=str(queries[name]))
            if name == "home":
                targets["home-cold"] = Target(
                    "home: uncached, every card made", f"http://127.0.0.1:{cold_port}{path}",
                    app_pids[cold_port], queries=str(cold_queries[name]))
            targets[f"{name}-app"] = Target(
                f"{name}: app cache", f"http://127.0.0.1:{cached_port}{path}",
                app_pids[cached_port], queries="0")
            targets[f"{name}-nginx"] = Target(f"{name}: cached, through nginx",
                                              f"{nginx.url}{path}", both, queries="0")

        for target in targets.values():  # warm every process and cache up
            for _ in range(20):
                _fetch(target.url)
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}/{args.rounds} …", flush=True)
            for target in targets.values():
                target.runs.append(wrk(target.url, seconds=args.seconds,
                                       connections=args.connections, pids=target.pids))

        print()
        print(f"Welzijn pages, {args.posts} posts x {args.words} words, {args.comments} comments "
              f"each; {'PostgreSQL' if site.database_url.startswith('postgres') else 'SQLite'}, "
              f"page cache in {'Redis' if os.environ.get('REDIS_URL') else 'files'}; "
              f"gunicorn 2 sync workers per node; wrk -t2 -c{args.connections}, "
              f"{args.rounds} x {args.seconds} s interleaved (medians); {os.cpu_count()} cores.")
        print()
        print(table(targets))
        print()
        print(f"after: {uptime()}")
        return 0
    finally:
        started = ([nginx.process.pid] if nginx is not None and nginx.process else []) + [
            node.pid for node in site.nodes]
        if nginx is not None:
            nginx.stop()
        site.stop()
        site.drop()
        print(f"stopped processes: {','.join(map(str, started)) or '-'}")


def analyze(site: Site) -> None:
    """Statistics for the planner, as autovacuum gives a live database: a table just loaded
    has none, and the planner then guesses one row everywhere."""
    if not site.database_url.startswith("postgres"):
        return
    import psycopg

    with psycopg.connect(site.database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def db_pids(site: Site) -> list[int]:
    """The PostgreSQL backends serving this site's database (none for SQLite)."""
    if not site.database_url.startswith("postgres"):
        return []
    import psycopg

    with psycopg.connect(site.database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()").fetchall()
    return [row[0] for row in rows]


def _fetch(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"({time.monotonic() - started:.0f} s)")
    sys.exit(code)
