"""The page cache end to end, through the shipped nginx config (deploy/nginx/welzijn.conf)
in front of a real gunicorn, on loopback ports, with TLS.

The site runs in processes of its own (benchmarks/site.py: its own database, and the page
cache in Redis or in files, shared by its workers and by the commands this test runs to
write), so what is checked is what readers of a real server would see: a scheduled post
appears by itself within two seconds of its publish_at; an approved comment and an edited
title show at once in the app and within the proxy's second (two, as nginx counts); a logged-in editor and a
reader with a held comment never get a cached page; nobody gets another person's page.

Needs Debian's nginx and openssl: skipped without them, unless REQUIRE_NGINX=1 (CI).
"""

import gzip
import http.client
import json
import os
import re
import shutil
import ssl
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from benchmarks.site import Site
from deploy.nginx.loopback import Nginx, free_port, port_range, self_signed

EDITOR, PASSWORD = "redactie", "nginx-test-wachtwoord-42"


def _require_tools():
    missing = [tool for tool in ("nginx", "openssl") if not shutil.which(tool)
               and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install nginx openssl)"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(f"REQUIRE_NGINX=1 but {message}", pytrace=False)
        pytest.skip(message)


SEED = f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import AuthorProfile, User
from blog.models import Post, Status
from comments.models import Comment

editor = User.objects.create_user("{EDITOR}", "redactie@example.org", "{PASSWORD}",
                                  is_staff=True, first_name="Anneke", last_name="Krakers")
guest = User.objects.create_user("gast", "gast@example.org", first_name="Hans")
AuthorProfile.objects.create(user=guest, display_name="Hans Versteegh", slug="hans")
post = Post(title="Sociaal media is booming", author=guest, status=Status.APPROVED,
            body_markdown="Welzijnswerkers twitteren.\\n\\n" * 20,
            publish_at=timezone.now() - timedelta(days=1))
post.save()
Comment(post=post, name="Bram", email="bram@example.org", body="Een eerste reactie.",
        status="approved").save()
Comment(post=post, name="Fenna", email="fenna@example.org", body="Een wachtende reactie.",
        status="pending").save()
print(post.get_absolute_url())
"""


class Reader:
    """One browser: its own cookies, talking HTTPS to the loopback nginx."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.origin, self.host, self.port = base_url, parts.hostname, parts.port
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE  # our own throwaway certificate
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, **headers):
        connection = http.client.HTTPSConnection(self.host, self.port, context=self.tls,
                                                 timeout=15)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        response.body = content
        response.text = content.decode("utf-8", "replace")
        return response

    def get(self, path: str, **headers):
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict, referer: str):
        return self.request(
            "POST", path, body=urlencode(data).encode(),
            **{"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
               "Referer": self.origin + referer},
        )

    def keys(self) -> dict:
        return json.loads(self.get("/formulier/sleutels/?csrf=1").body)

    def log_in(self, username: str, password: str):
        page = self.get("/account/inloggen/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.post("/account/inloggen/", {
            "csrfmiddlewaretoken": token, "username": username, "password": password,
        }, referer="/account/inloggen/")
        assert response.status == 302, response.status
        assert "sessionid" in self.cookies


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _require_tools()
    folder = tmp_path_factory.mktemp("nginx-site")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = urlsplit(os.environ.get("DATABASE_URL", "")).path.strip("/") or "welzijn"
    low, high = port_range()
    https_port = free_port(low, high)
    http_port = free_port(low, high, {https_port})
    app_port = free_port(low, high, {https_port, http_port})
    nginx = Nginx(folder / "nginx", upstreams=[f"127.0.0.1:{app_port}"],
                  static_root=folder / "static", media_root=folder / "media",
                  tls=self_signed(folder / "tls"), ports=(https_port, http_port))
    site = Site(folder, name=f"test_{base}_nginx_{worker}", site_url=nginx.url, extra_env={
        "DJANGO_BEHIND_TLS_PROXY": "1", "COMMENT_MIN_SECONDS": "0", "PAGE_CACHE": "1",
    })
    try:
        site.create(collectstatic=True)
        post_url = site.python(SEED).strip()
        site.start_node(app_port, workers=2)
        nginx.start()
        yield {"site": site, "nginx": nginx, "post_url": post_url,
               "app": f"http://127.0.0.1:{app_port}"}
    finally:
        nginx.stop()
        site.stop()
        site.drop()


def app_get(stack, path: str) -> str:
    """Straight from the app node, past nginx: what the app's own cache serves."""
    parts = urlsplit(stack["app"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    connection.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 200
    return body


# Answers from the proxy's own copy: HIT, or STALE/UPDATING when the one-second copy has just
# ended (on a busy machine a second passes quickly) and nginx hands it out while it fetches
# the next one in the background.
PROXY_COPY = {"HIT", "STALE", "UPDATING"}


def shows_at_once(reader: Reader, path: str, text: str, *, written_at: float) -> None:
    """Through nginx, after a write at `written_at` (time.monotonic()):

    - the page shows `text` within a few seconds, and from then on every time;
    - the only answers still without it are the proxy's copy from before the write, which
      lives PAGE_CACHE_PROXY_SECONDS (1 s) and at most one second more (nginx counts whole
      seconds): a HIT later than that, or anything the app itself answered (MISS, EXPIRED,
      BYPASS), is already new. An answer marked STALE or UPDATING is the old copy handed out
      while nginx fetches the new one in the background (the app's own cache answers it).
    """
    deadline = written_at + 5
    while True:
        response = reader.get(path)
        age = time.monotonic() - written_at
        status = response.getheader("X-Cache-Status")
        if text in response.text:
            break
        assert status in {"HIT", "STALE", "UPDATING"}, (path, status, age)
        if status == "HIT":
            assert age < 2.0 + 0.25, (path, f"an old copy {age:.2f} s after the write")
        assert time.monotonic() < deadline, (path, "still not shown after 5 s")
        time.sleep(0.05)
    for _ in range(5):
        assert text in reader.get(path).text, path


def test_a_scheduled_post_appears_on_the_cached_home_within_two_seconds(stack):
    reader = Reader(stack["nginx"].url)
    for _ in range(5):
        assert reader.get("/").status == 200
    publish_at = stack["site"].python("""
from datetime import timedelta
from django.utils import timezone
from blog.models import Post, Status
from accounts.models import User
post = Post(title="Verschijnt vanzelf", author=User.objects.get(username="gast"),
            status=Status.APPROVED, body_markdown="Ingepland.",
            publish_at=timezone.now() + timedelta(seconds=6))
post.save()
print(post.publish_at.timestamp())
""")
    publish_at = float(publish_at)
    responses = []
    while time.time() < publish_at + 4:
        response = reader.get("/")
        responses.append((time.time(), response))
        if "Verschijnt vanzelf" in response.text:
            break
        time.sleep(0.05)
    early = [at for at, response in responses if at < publish_at - 0.05
             and "Verschijnt vanzelf" in response.text]
    assert not early, "shown before its publish_at"
    shown = [at for at, response in responses if "Verschijnt vanzelf" in response.text]
    timeline = [(round(at - publish_at, 2), response.getheader("X-Cache-Status"),
                 response.getheader("X-Page-Cache"), response.getheader("Cache-Control"))
                for at, response in responses if at > publish_at - 1.5]
    assert shown, f"not shown within 4 seconds of its publish_at: {timeline}"
    assert shown[0] - publish_at <= 2.0, \
        f"shown {shown[0] - publish_at:.2f} s late: {timeline}"
    # The home page was being served from the caches meanwhile, not rendered each time.
    statuses = [response.getheader("X-Cache-Status") for _at, response in responses]
    from_proxy = [status for status in statuses if status in PROXY_COPY]
    assert len(from_proxy) >= len(statuses) // 2, statuses
    assert all(response.getheader("Cache-Control", "").startswith("public")
               for _at, response in responses)


def test_an_approved_comment_and_an_edited_title_show_at_once(stack):
    reader, url = Reader(stack["nginx"].url), stack["post_url"]
    for _ in range(3):
        page = reader.get(url)
    assert page.getheader("X-Cache-Status") in PROXY_COPY
    assert "Een wachtende reactie." not in page.text

    stack["site"].python(f"""
from accounts.models import User
from comments import moderation
from comments.models import Comment
moderation.approve(comments=Comment.objects.filter(body="Een wachtende reactie."),
                   actor=User.objects.get(username="{EDITOR}"))
""")
    written_at = time.monotonic()
    # At once in the app (every node shares the cache), and within the proxy's second.
    assert "Een wachtende reactie." in app_get(stack, url)
    shows_at_once(reader, url, "Een wachtende reactie.", written_at=written_at)

    reader.get("/")
    stack["site"].python(f"""
from accounts.models import User
from blog import editing
from blog.models import Post
post = Post.objects.get(title="Sociaal media is booming")
editing.save_post(post=post, actor=User.objects.get(username="{EDITOR}"),
                  expected_version=post.version, fields={{"title": "Sociale media bloeien"}})
""")
    written_at = time.monotonic()
    for path in ("/", url, "/feed/"):
        assert "Sociale media bloeien" in app_get(stack, path)
    for path in ("/", url, "/feed/"):
        shows_at_once(reader, path, "Sociale media bloeien", written_at=written_at)


def test_personal_pages_are_never_cached_and_nobody_gets_anothers_page(stack):
    url = stack["post_url"]
    editor = Reader(stack["nginx"].url)
    editor.log_in(EDITOR, PASSWORD)

    commenter = Reader(stack["nginx"].url)
    commenter.get(url)
    keys = commenter.keys()
    posted = commenter.post(f"/reacties/{url_post_id(stack)}/", {
        **keys, "name": "Citlali", "email": "citlali@example.org", "url": "",
        "body": "Mijn reactie wacht nog.", "website_confirm": "",
    }, referer=url)
    assert posted.status == 302 and "welzijn_reacties" in commenter.cookies

    anonymous = Reader(stack["nginx"].url)
    for _round in range(3):  # interleaved
        theirs = editor.get(url)
        assert 'href="/beheer/"' in theirs.text  # the editor's own menu
        assert theirs.getheader("X-Cache-Status") == "BYPASS"
        assert "no-store" in theirs.getheader("Cache-Control")

        mine = commenter.get(url)
        assert "Mijn reactie wacht nog." in mine.text
        assert mine.getheader("X-Cache-Status") == "BYPASS"
        assert "no-store" in mine.getheader("Cache-Control")

        shared = anonymous.get(url)
        assert "Mijn reactie wacht nog." not in shared.text
        assert 'href="/beheer/"' not in shared.text
        # Kept by the proxy (STALE: the copy just ending, while it fetches the next one).
        assert shared.getheader("X-Cache-Status") in {"HIT", "MISS", "EXPIRED", "REVALIDATED",
                                                      "UPDATING", "STALE"}
        assert "csrftoken" not in anonymous.cookies  # reading sets no cookie

    # Answered from the proxy's copy.
    assert anonymous.get(url).getheader("X-Cache-Status") in PROXY_COPY
    # Nothing personal ended up in the proxy's cache: its files hold no session's page.
    cached = b"".join(path.read_bytes() for path in (stack["nginx"].run_dir / "cache").rglob("*")
                      if path.is_file())
    assert b"Mijn reactie wacht nog." not in cached and b'href="/beheer/"' not in cached


def url_post_id(stack) -> int:
    return int(stack["site"].python(
        "from blog.models import Post\nprint(Post.objects.order_by('pk').first().pk)"))


def test_the_proxy_terminates_tls_redirects_http_and_serves_static_files(stack):
    nginx = stack["nginx"]
    plain = http.client.HTTPConnection("127.0.0.1", nginx.redirect_port, timeout=10)
    plain.request("GET", "/archief/?x=1")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://127.0.0.1/archief/?x=1"

    reader = Reader(nginx.url)
    home = reader.get("/")
    assert home.status == 200
    assert home.headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"]
    # The app saw HTTPS (X-Forwarded-Proto): its secure login with CSRF works (above too).
    css = reader.get("/static/css/site.css", **{"Accept-Encoding": "gzip"})
    assert css.status == 200 and css.getheader("X-Page-Cache") is None  # from disk
    assert css.getheader("Content-Encoding") == "gzip"
    on_disk = (stack["site"].folder / "static" / "css" / "site.css").read_bytes()
    assert gzip.decompress(css.body) == on_disk
    assert css.headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"]
    page = reader.get("/", **{"Accept-Encoding": "gzip"})
    assert page.getheader("Content-Encoding") == "gzip"
    assert b"<!doctype html>" in gzip.decompress(page.body)


def test_media_is_served_from_disk_but_never_an_imports_uploads(stack):
    media = stack["site"].folder / "media"
    (media / "afbeeldingen").mkdir(parents=True, exist_ok=True)
    (media / "afbeeldingen" / "foto.txt").write_text("een foto")
    waiting = media / "wordpress-import" / "a1b2c3"
    waiting.mkdir(parents=True, exist_ok=True)
    (waiting / "export.wxr").write_text("<rss>concepten en e-mailadressen</rss>")
    reader = Reader(stack["nginx"].url)
    assert reader.get("/media/afbeeldingen/foto.txt").text == "een foto"
    refused = reader.get("/media/wordpress-import/a1b2c3/export.wxr")
    assert refused.status == 404 and "e-mailadressen" not in refused.text
