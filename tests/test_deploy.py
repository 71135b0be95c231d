"""Production settings as an operator runs them: check --deploy clean, static files hashed,
compressed and cached for a year, HTTPS enforced (HSTS and a redirect), CSP strict.

Each test starts a fresh Python with the environment of the README's production section
(DEBUG off, a real secret key, https SITE_URL behind a TLS proxy), because settings are read
once at start-up.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SITE_", "STATIC_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "welzijn.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://welzijn.example.org",
        "DJANGO_ALLOWED_HOSTS": "welzijn.example.org",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "WELZIJN_VAR_DIR": str(tmp_path / "var"),
        **extra,
    })
    return env


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def in_django(env, code: str) -> dict:
    """Run `code` (which sets `result`) in a fresh process with these settings."""
    script = f"import django, json\ndjango.setup()\n{code}\nprint(json.dumps(result))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_hsts_preload_is_the_operators_choice(tmp_path):
    default = in_django(production_env(tmp_path), (
        "from django.conf import settings\n"
        "result = [settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD]"))
    assert default == [365 * 24 * 3600, False]
    chosen = in_django(production_env(tmp_path, DJANGO_HSTS_PRELOAD="1",
                                      DJANGO_HSTS_SECONDS="63072000"), (
        "from django.conf import settings\n"
        "result = [settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD]"))
    assert chosen == [63072000, True]


@pytest.fixture
def collected(tmp_path):
    env = production_env(tmp_path)
    done = manage(env, "collectstatic", "--noinput")
    assert done.returncode == 0, done.stderr
    return env, tmp_path / "static"


def test_collectstatic_writes_hashed_and_compressed_files(collected):
    _env, static_root = collected
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (static_root / hashed).exists()
    assert (static_root / (hashed + ".gz")).exists()


def test_pages_link_hashed_files_served_for_a_year_over_https_only(collected):
    env, _static_root = collected
    result = in_django(env, """
from django.templatetags.static import static
from django.test import Client
client = Client(HTTP_HOST="welzijn.example.org")
css = static("css/site.css")
secure = client.get(css, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip")
plain = client.get(css)
result = {
    "css": css,
    "status": secure.status_code,
    "cache": secure.get("Cache-Control", ""),
    "encoding": secure.get("Content-Encoding", ""),
    "hsts": secure.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}
""")
    assert result["css"].startswith("/static/css/site.") and result["css"] != "/static/css/site.css"
    assert result["status"] == 200
    assert "max-age=315360000" in result["cache"] and "immutable" in result["cache"]
    assert result["encoding"] == "gzip"
    assert result["hsts"] == "max-age=31536000; includeSubDomains"
    assert result["plain_status"] == 301
    assert result["plain_location"] == "https://welzijn.example.org" + result["css"]


def test_without_collectstatic_the_site_still_serves_plain_names(tmp_path):
    """A fresh checkout started without collectstatic: plain names, not a 500."""
    result = in_django(production_env(tmp_path), """
from django.templatetags.static import static
from django.test import Client
css = static("css/site.css")
response = Client(HTTP_HOST="welzijn.example.org").get(css, HTTP_X_FORWARDED_PROTO="https")
result = [css, response.status_code]
""")
    assert result == ["/static/css/site.css", 200]


def test_the_content_security_policy_stays_strict(client, db):
    policy = client.get("/robots.txt")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in policy
    assert not any(source.startswith(("http:", "https:", "*")) for sources in
                   directives.values() for source in sources)


# --- deploy/: the systemd units -------------------------------------------------------------

DEPLOY = ROOT / "deploy"


def unit(name: str) -> dict[str, list[str]]:
    """{"Section.Key": [values…]} (a key may repeat, like ExecStart in a oneshot)."""
    values, section = {}, ""
    for line in (DEPLOY / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _sep, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


@pytest.mark.parametrize("service", ["welzijn-web.service", "welzijn-worker.service"])
def test_app_nodes_and_workers_come_back_after_a_crash(service):
    """After kill -9 of a gunicorn master its node was gone for good: nothing supervised it."""
    values = unit(service)
    assert values["Service.Restart"] == ["always"]
    assert values["Service.EnvironmentFile"] == ["/etc/welzijn/welzijn.env"]
    assert values["Service.User"] == ["welzijn"]
    assert values["Install.WantedBy"] == ["multi-user.target"]


def test_the_web_unit_runs_gunicorn_and_the_worker_unit_the_task_worker():
    assert "gunicorn welzijn.wsgi" in unit("welzijn-web.service")["Service.ExecStart"][0]
    assert "manage.py db_worker" in unit("welzijn-worker.service")["Service.ExecStart"][0]


@pytest.mark.parametrize("timer, command, every", [
    ("welzijn-go-live.timer", "manage.py go_live", "*-*-* *:*:00"),
    ("welzijn-digest.timer", "manage.py send_digest", "*-*-* *:00/15:00"),
    ("welzijn-prune.timer", "manage.py prune_outbox", "*-*-* 04:17:00"),
])
def test_the_cron_jobs_are_timers(timer, command, every):
    values = unit(timer)
    assert values["Timer.OnCalendar"] == [every]
    service = unit(values["Timer.Unit"][0])
    assert service["Service.Type"] == ["oneshot"]
    assert any(command in line for line in service["Service.ExecStart"])
    assert service["Service.EnvironmentFile"] == ["/etc/welzijn/welzijn.env"]


def test_systemd_accepts_every_unit():
    """`systemd-analyze verify`: unknown keys, bad values and calendar specs are errors. The
    only complaint allowed is that /srv/welzijn (the README's install) is not on this machine."""
    import shutil

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    for path in sorted(DEPLOY.glob("welzijn-*.*")):
        done = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True,
                              text=True, timeout=60)
        complaints = [line for line in (done.stdout + done.stderr).splitlines()
                      if line.strip() and "/srv/welzijn/app/.venv/bin/" not in line]
        assert complaints == [], path.name


def test_the_env_example_names_only_documented_settings():
    readme = (ROOT / "README.md").read_text()
    for line in (DEPLOY / "welzijn.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert f"`{name}`" in readme, name


def test_a_static_address_is_worked_out_once_and_follows_a_new_manifest(tmp_path):
    """core.staticfiles keeps each file's address per process; collectstatic, which writes
    a new manifest, makes it forget them."""
    result = in_django(production_env(tmp_path), """
from django.core.management import call_command
from django.templatetags.static import static
before = [static("css/site.css"), static("css/site.css")]
call_command("collectstatic", "--noinput", verbosity=0)
result = before + [static("css/site.css"), static("css/site.css")]
""")
    assert result[0] == result[1] == "/static/css/site.css"  # not collected yet
    assert result[2] == result[3] != "/static/css/site.css"
    assert result[2].startswith("/static/css/site.")
