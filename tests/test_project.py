"""Project-level promises: migrations complete, settings safe, lint clean."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail("model changes without a migration:\n" + out.getvalue())


def _settings_run(env_overrides):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "welzijn.settings"},
        capture_output=True, text=True,
    )


def test_without_debug_a_secret_key_is_required():
    result = _settings_run({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_with_a_secret_key_it_starts():
    result = _settings_run({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_dutch_and_amsterdam(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam" and settings.USE_TZ


@pytest.mark.django_db
def test_bio_html_is_rendered_on_every_save():
    from tests.factories import GuestFactory

    guest = GuestFactory()
    profile = guest.profile
    profile.bio = "Zie <b>mij</b> op https://example.org"
    profile.save()
    profile.refresh_from_db()
    assert "&lt;b&gt;mij&lt;/b&gt;" in profile.bio_html
    assert 'rel="nofollow ugc noopener"' in profile.bio_html


@pytest.mark.django_db
def test_editors_have_every_admin_permission_and_guests_none():
    from tests.factories import EditorFactory, GuestFactory

    editor, guest = EditorFactory(), GuestFactory()
    assert editor.has_perm("blog.change_post") and editor.has_module_perms("blog")
    assert not guest.has_perm("blog.change_post") and not guest.has_module_perms("blog")
    editor.is_active = False
    assert not editor.has_perm("blog.change_post")


def test_two_sites_sharing_a_var_folder_keep_their_kept_lists_apart(tmp_path):
    """Without Redis the page cache (and the month list kept with it) is files in the var
    folder; two sites pointed at one folder (make bench-scale's two blogs) stay apart by
    CACHE_KEY_PREFIX, as they do in one Redis."""
    def run(prefix, code):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
        env.update(DJANGO_SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="welzijn.settings",
                   WELZIJN_VAR_DIR=str(tmp_path), CACHE_KEY_PREFIX=prefix)
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n"
             "from blog import archive\n" + code],
            cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("klein", "archive.cache.set(archive.ENTRY_KEY, 'de maanden van de kleine blog')")
    assert run("klein", "print(archive.cache.get(archive.ENTRY_KEY))") == \
        "de maanden van de kleine blog"
    assert run("groot", "print(archive.cache.get(archive.ENTRY_KEY))") == "None"
