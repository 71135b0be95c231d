"""`make bench` (benchmarks/pages.py) is a benchmark, not a test: these check only that its
pieces work: the fixed corpus, reading wrk's output and the CPU counters, the derived nginx
configuration, and a whole run on a tiny corpus that leaves nothing running."""

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.pages import cpu_seconds, parse_wrk, table
from deploy.nginx.loopback import ConfigDrift, Tls, port_range, site_config

ROOT = Path(__file__).resolve().parent.parent

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8101/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.21ms    2.10ms  41.03ms   88.12%
    Req/Sec     1.55k   120.33     1.80k    70.00%
  Latency Distribution
     50%  812.00us
     75%    5.90ms
     90%    7.80ms
     99%    1.20s
  15432 requests in 5.01s, 180.02MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:   3080.24
Transfer/sec:     35.93MB
"""


def test_wrk_output_is_read():
    run = parse_wrk(WRK_OUTPUT)
    assert (run.requests, run.seconds, run.rps) == (15432, 5.01, 3080.24)
    assert run.p50_ms == pytest.approx(0.812) and run.p99_ms == pytest.approx(1200.0)
    assert run.errors == 6


def test_cpu_is_read_from_proc():
    before = cpu_seconds([os.getpid()])
    sum(i * i for i in range(300_000))
    assert cpu_seconds([os.getpid()]) > before
    assert cpu_seconds([2**22 + 12345]) == 0  # a process that is gone counts nothing


def test_the_table_gives_every_page_as_a_share_of_the_static_file():
    from benchmarks.pages import Run, Target

    def target(label, rps):
        made = Target(label, "http://x/", lambda: [], queries="5")
        made.runs = [Run(100, 1.0, rps, 1.0, 2.0, 0, cpu_ms=0.5)]
        return made

    targets = {"static": target("static 30 KB file: nginx", 10000),
               "feed-file": target("feed as a file: nginx", 2000),
               "feed-nginx": target("feed: cached, through nginx", 1500),
               "home-uncached": target("home: uncached (renders)", 300)}
    printed = table(targets)
    assert "| home | uncached (renders) | 300 | 1.00 | 2.00 | 0.50 | 5 | 3.0% |  |" in printed
    assert "| feed | cached, through nginx | 1,500 |" in printed and "| 75.0% |" in printed


def test_the_corpus_is_the_same_on_every_run():
    first = corpus.post_markdown(random.Random(2010), 1000)
    assert first == corpus.post_markdown(random.Random(2010), 1000)
    assert 1000 <= len(first.split()) <= 1150
    assert "## " in first and "\n- " in first and "](https://example.org/" in first


@pytest.mark.django_db
def test_the_corpus_loads_posts_tags_and_threaded_comments():
    from blog.models import Post
    from comments.models import Comment

    loaded = corpus.load(posts=3, words=120, comments=8)
    assert Post.objects.live().count() == 3
    post = Post.objects.live().get(slug=loaded["post_url"].rstrip("/").rsplit("/", 1)[1])
    assert post.tags.count() == 2 and post.summary
    assert Comment.objects.filter(post=post, status="approved").count() == 8
    assert Comment.objects.filter(post=post, parent__isnull=False).count() == 2


def test_the_nginx_variant_changes_only_what_a_loopback_run_must(tmp_path):
    shipped = (ROOT / "deploy/nginx/welzijn.conf").read_text()
    derived = site_config(port=8150, redirect_port=8151, upstreams=["127.0.0.1:8152"],
                          static_root=tmp_path / "s", media_root=tmp_path / "m",
                          cache_dir=tmp_path / "c", acme_root=tmp_path / "a",
                          tls=Tls(tmp_path / "cert.pem", tmp_path / "key.pem"))
    assert "listen 127.0.0.1:8150 ssl http2;" in derived
    assert "listen 127.0.0.1:8151;" in derived and "[::]" not in derived
    assert "server 127.0.0.1:8152 max_fails=3" in derived and "8001" not in derived
    assert "127.0.0.1:8000" not in derived
    assert f"ssl_certificate     {tmp_path / 'cert.pem'};" not in shipped
    # Everything else is the shipped file, line for line.
    kept = [line for line in shipped.splitlines()
            if not any(word in line for word in ("listen", "server 127", "ssl_certificate",
                                                 "/srv/", "/var/cache/", "/var/www/"))]
    assert all(line in derived.splitlines() for line in kept)
    plain = site_config(port=8150, redirect_port=8151, upstreams=["127.0.0.1:8152"],
                        static_root=tmp_path, media_root=tmp_path, cache_dir=tmp_path,
                        acme_root=tmp_path, tls=None)
    assert "ssl_" not in plain and "listen 127.0.0.1:8150;" in plain


def test_a_changed_shipped_file_is_noticed(tmp_path, monkeypatch):
    from deploy.nginx import loopback

    changed = tmp_path / "welzijn.conf"
    changed.write_text(loopback.SITE.read_text().replace("listen 443 ssl http2;", "listen 443;"))
    monkeypatch.setattr(loopback, "SITE", changed)
    with pytest.raises(ConfigDrift):
        site_config(port=1, redirect_port=2, upstreams=[], static_root=tmp_path,
                    media_root=tmp_path, cache_dir=tmp_path, acme_root=tmp_path,
                    tls=Tls(tmp_path, tmp_path))


def test_a_whole_run_on_a_tiny_corpus_prints_the_table_and_stops_everything(tmp_path):
    if not (shutil.which("wrk") and (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())):
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("REQUIRE_NGINX=1 but nginx or wrk is missing", pytrace=False)
        pytest.skip("needs nginx and wrk (apt-get install nginx wrk)")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", "--seconds", "1", "--rounds", "1",
         "--connections", "2", "--posts", "3", "--words", "100", "--comments", "3",
         "--folder", str(tmp_path / "bench"), "--database", f"test_welzijn_bench_{worker}"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "before:" in out and "after:" in out and "load average" in out
    for row in ("| static 30 KB file | nginx |", "| home | uncached (renders) |",
                "| post | app cache |", "| feed | cached, through nginx |"):
        assert row in out, out
    for line in out.splitlines():
        if line.startswith("| home | uncached (renders)"):
            # the page's post versions and the pages menu: the cards and the month list are kept
            assert line.split("|")[7].strip() == "2"
        if line.startswith("| home | uncached, every card made"):
            # without the card cache: the posts with their joins, their tags, the pages menu
            assert line.split("|")[7].strip() == "3"
    # Nothing it started is left running.
    stopped = [int(pid) for pid in out.split("stopped processes:")[1].split()[0].split(",")]
    assert len(stopped) == 4  # nginx and three gunicorn masters
    for pid in stopped:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_parallel_test_workers_listen_on_ports_of_their_own(monkeypatch):
    """Two xdist workers starting an nginx at once must not both take the first free port."""
    monkeypatch.setenv("LOOPBACK_PORTS", "8100-8199")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    first = port_range()
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    second = port_range()
    assert first == (8100, 8149) and second == (8150, 8199)
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT")
    assert port_range() == (8100, 8199)  # make bench, outside the test suite
