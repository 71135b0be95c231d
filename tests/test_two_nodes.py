"""Production as it really runs: two gunicorn nodes behind a proxy, sharing PostgreSQL,
Redis and the media folder, with production settings (DEBUG off).

Clients arrive through the proxy (X-Forwarded-For, TRUSTED_PROXY_COUNT=1; this test plays
the proxy from 127.0.0.1). The login limit holds per client across both nodes and locks out
nobody else; a picture uploaded through one node is served by the other; then Redis is
stopped and a comment, a newsletter sign-up and a login still succeed, on either node.

Runs only on PostgreSQL (DATABASE_URL=postgres://…): the nodes are separate processes that
must share the test database, which SQLite's in-memory test database cannot be. Ports:
gunicorn 8200–8299, the private redis-server 6390–6399.
"""

import http.client
import io
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from PIL import Image

from comments.models import Comment
from tests.factories import PASSWORD, EditorFactory, GuestFactory, LivePostFactory
from tests.servers import RedisServer, free_port, redis_port, worker_number

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("two gunicorn nodes must share one database: run with "
                    "DATABASE_URL=postgres://… (SQLite's in-memory test database is private "
                    "to this process)")


class Node:
    """One app node: `gunicorn welzijn.wsgi` on its own port, production settings."""

    def __init__(self, port: int, env: dict):
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "welzijn.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node on {self.port} died: {self.process.stderr.read()!r}")
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection_.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
                if connection_.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"node on {self.port} did not come up")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Reader:
    """A browser behind the proxy: its own cookies, its own address in X-Forwarded-For."""

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, node: Node, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None):
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.address,
                   "X-Forwarded-Proto": "http"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def form(self, node: Node, path: str, fields: dict, *, page: str | None = None,
             files: dict | None = None):
        """GET the page with the form (its CSRF token and timestamp), then POST `fields`.

        A shared page (a post, the home page) carries no reader's keys: like formkeys.js,
        fetch them from the node when the page's fields are empty (issue 11).
        """
        _status, _headers, html = self.request(node, "GET", page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1)
        started = re.search(r'name="form_started" value="([^"]*)"', html)
        if not token or (started and not started.group(1)):
            keys = json.loads(self.request(node, "GET", "/formulier/sleutels/?csrf=1")[2])
            token = keys["csrfmiddlewaretoken"]
            started_value = keys["form_started"]
        else:
            started_value = started.group(1) if started else ""
        data = {"csrfmiddlewaretoken": token}
        if started:
            data.update({"form_started": started_value, "website_confirm": ""})
        data.update(fields)
        if not files:
            return self.request(node, "POST", path, urlencode(data).encode(),
                                "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in data.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                       f"\r\n\r\n{value}\r\n".encode())
        for name, (filename, content) in files.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                       f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode())
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request(node, "POST", path, body.getvalue(),
                            f"multipart/form-data; boundary={boundary}")

    def login(self, node: Node, username: str, password: str):
        return self.form(node, "/account/inloggen/", {"username": username,
                                                      "password": password})


@pytest.fixture
def cluster(tmp_path, transactional_db):
    redis = RedisServer(redis_port()).start()
    settings_dict = connection.settings_dict
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SITE_", "STATIC_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "welzijn.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": (f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
                         f"{settings_dict['PORT']}/{settings_dict['NAME']}"),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # one folder, as on NFS
        "DJANGO_SERVE_MEDIA": "1",  # stands in for the proxy serving that folder
        "WELZIJN_VAR_DIR": str(tmp_path / "var"),
        "LOGIN_RATE_LIMIT": "5/d",  # a day's window: the test never straddles two
        "COMMENT_MIN_SECONDS": "0",
    })
    if settings_dict.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"{settings_dict['USER']}@", f"{settings_dict['USER']}:{settings_dict['PASSWORD']}@")
    base = 8200 + 20 * (worker_number() % 5)
    nodes = []
    try:
        for offset in (0, 10):
            nodes.append(Node(free_port(range(base + offset, base + offset + 10)), env))
        for node in nodes:
            node.wait_until_up()
        yield nodes[0], nodes[1], redis, env
    finally:
        for node in nodes:
            node.stop()
        redis.stop()


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_two_nodes_behind_a_proxy_with_redis_going_away(cluster):
    node_a, node_b, redis, env = cluster
    # The nodes run the production hashers (the suite's fast MD5 one is not among them).
    editor = EditorFactory(username="redactie", email="redactie@example.org")
    guest = GuestFactory(username="gast", email="gast@example.org")
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    type(editor).objects.update(password=PBKDF2PasswordHasher().encode(PASSWORD, "zout1234"))
    post = LivePostFactory(author=guest, title="Sociaal media is booming")

    # 1. One client guessing the editor's password, alternating nodes: five tries in the
    #    shared window, then 429 on either node; the editor, elsewhere, still gets in.
    attacker = Reader("203.0.113.66")
    statuses = [attacker.login(node, "redactie", "fout")[0]
                for node in (node_a, node_b) * 3]
    assert statuses == [200] * 5 + [429]
    assert attacker.login(node_a, "redactie", PASSWORD)[0] == 429
    assert attacker.login(node_b, "redactie", PASSWORD)[0] == 429
    editor_reader = Reader("198.51.100.20")
    status, headers, _html = editor_reader.login(node_b, "redactie", PASSWORD)
    assert status == 302 and headers["Location"] == "/beheer/"

    # 2. A picture uploaded through node A is served by node B (one shared media folder).
    author = Reader("198.51.100.30")
    assert author.login(node_a, "gast", PASSWORD)[0] == 302
    status, _headers, html = author.form(
        node_a, "/account/profiel/", {"display_name": "Gast Auteur", "bio": "", "organisation": "",
                                      "role": "", "website": "", "linkedin": "", "twitter": ""},
        files={"photo_upload": ("portret.jpg", photo())})
    assert status == 302, html[html.find("<main"):][:3000]
    guest.refresh_from_db()
    photo_url = guest.profile.photo_url()
    assert photo_url.startswith("/media/profielen/")
    status, headers, _body = Reader("192.0.2.1").request(node_b, "GET", photo_url)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"

    # 3. Redis goes away. Pages, a comment, a sign-up and a login still work.
    redis.stop()
    reader = Reader("192.0.2.44")
    status, _headers, _html = reader.request(node_b, "GET", post.get_absolute_url())
    assert status == 200
    status, _headers, _html = reader.form(
        node_a, f"/reacties/{post.pk}/",
        {"name": "Marieke", "email": "marieke@example.org", "url": "", "parent": "",
         "body": "Ook zonder Redis geplaatst."},
        page=post.get_absolute_url())
    assert status == 302
    comment = Comment.objects.get(body="Ook zonder Redis geplaatst.")
    assert comment.status == Comment.Status.PENDING  # kept, held: the limit was per node

    status, headers, _html = reader.form(node_b, "/nieuwsbrief/",
                                         {"email": "marieke@example.org", "name": ""})
    assert status == 302 and headers["Location"] == "/nieuwsbrief/bedankt/"
    worker = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch",
                             "--no-startup-delay", "--no-reload"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr
    from newsletter.models import Subscriber

    assert Subscriber.objects.filter(email="marieke@example.org").exists()

    late = Reader("192.0.2.45")
    status, headers, _html = late.login(node_b, "redactie", PASSWORD)
    assert status == 302 and headers["Location"] == "/beheer/"
    assert editor.pk  # the same account, on the other node
