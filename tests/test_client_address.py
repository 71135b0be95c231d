"""One rule decides who the client is (core.antispam.client_ip), behind any number of proxies.

Behind a proxy every request comes from the proxy's address: without TRUSTED_PROXY_COUNT
every reader shared one rate-limit counter (ten wrong logins by ten people locked the
editor out) and every commenter got the proxy's address hash. Both login doors count
against one limit per client.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from comments.models import IP_HASH_PURPOSE, Comment
from core.antispam import client_ip, hash_value
from tests.comment_helpers import comment_url, human_form
from tests.factories import PASSWORD, LivePostFactory

ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.5"


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("proxies, remote, forwarded, client", [
    (0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # no proxy: the header is a lie
    (1, PROXY, "203.0.113.9", "203.0.113.9"),
    (1, PROXY, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is ignored
    (2, PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
    (1, PROXY, None, PROXY),  # straight to the node, past the proxy
    (2, PROXY, "203.0.113.9", PROXY),  # fewer hops than proxies
    (1, PROXY, "not-an-address", PROXY),
    (1, PROXY, "2001:db8::1", "2001:db8::1"),
])
def test_the_client_is_the_nth_address_from_the_right(settings, proxies, remote, forwarded,
                                                      client):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(remote, forwarded)) == client


def test_trusted_proxy_count_is_a_documented_setting_from_the_environment():
    source = (ROOT / "welzijn" / "settings.py").read_text()
    assert 'TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)' in source
    assert "| `TRUSTED_PROXY_COUNT` |" in (ROOT / "README.md").read_text()


def settings_read_by_the_code():
    """Every `settings.NAME` and `getattr(settings, "NAME", …)` in the apps' code."""
    found = {}
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {".venv", "tests", "benchmarks", "staticfiles"}:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "settings" and node.attr.isupper()):
                found.setdefault(node.attr, path.relative_to(ROOT))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr" and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == "settings"
                    and isinstance(node.args[1], ast.Constant)):
                found.setdefault(node.args[1].value, path.relative_to(ROOT))
    return found


def test_no_code_reads_a_setting_that_settings_py_does_not_define():
    import welzijn.settings as project_settings

    defined = set(dir(project_settings)) | set(dir(django_settings._wrapped.__class__))
    from django.conf import global_settings

    defined |= {name for name in dir(global_settings) if name.isupper()}
    rate_settings = set(re.findall(r'rate="([A-Z_]+)"', "".join(
        p.read_text() for p in ROOT.glob("*/*.py") if p.parts[len(ROOT.parts)] != ".venv")))
    missing = {name: str(where) for name, where in settings_read_by_the_code().items()
               if name not in defined}
    missing.update({name: "rate_limit(rate=…)" for name in rate_settings - defined})
    assert missing == {}


# --- behind one proxy: per-client limits ------------------------------------------------------

@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT = "3/h"


def login(client, url, client_address, password="fout"):
    return client.post(url, {"username": "redactie", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


@pytest.mark.django_db
def test_a_flood_from_one_client_does_not_lock_out_the_editor(client, editor, behind_a_proxy,
                                                              steady_rate_window):
    url = reverse("accounts:login")
    for _ in range(3):
        assert login(client, url, "203.0.113.66").status_code == 200
    assert login(client, url, "203.0.113.66").status_code == 429
    # The editor, at another address but through the same proxy, still gets in.
    response = login(client, url, "198.51.100.20", password=PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_admin_login_counts_against_the_same_limit(client, editor, behind_a_proxy,
                                                       steady_rate_window):
    """30 wrong passwords at /beheer/login/ used to be taken in 8 seconds, then the right one."""
    admin_login = reverse("admin:login")
    site_login = reverse("accounts:login")
    assert login(client, admin_login, "203.0.113.66").status_code == 200
    assert login(client, site_login, "203.0.113.66").status_code == 200
    assert login(client, admin_login, "203.0.113.66").status_code == 200
    refused = login(client, admin_login, "203.0.113.66", password=PASSWORD)
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert "_auth_user_id" not in client.session  # the right password did not get through
    assert login(client, site_login, "203.0.113.66").status_code == 429
    assert login(client, admin_login, "198.51.100.20", password=PASSWORD).status_code == 302


@pytest.mark.django_db
def test_commenters_behind_the_proxy_get_their_own_address_hash(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    post = LivePostFactory()
    for address in ("203.0.113.1", "203.0.113.2"):
        client.post(comment_url(post), human_form(name=address), REMOTE_ADDR=PROXY,
                    HTTP_X_FORWARDED_FOR=address)
    hashes = dict(Comment.objects.values_list("name", "ip_hash"))
    assert hashes == {
        address: hash_value(address, purpose=IP_HASH_PURPOSE)
        for address in ("203.0.113.1", "203.0.113.2")
    }
