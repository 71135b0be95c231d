"""Development conveniences: `make run PORT=…` builds every link from that port, and the
mails it writes to var/mail/ can be read at /beheer/mail/ (DEBUG only)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from outbox.mail import send_templated_mail

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_builds_links_from_its_port_and_writes_mails_to_files():
    dry_run = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True,
                             text=True, check=True, env={"PATH": "/usr/bin:/bin"}).stdout
    commands = dry_run.replace("\\\n", " ").splitlines()  # one line per shell command
    demo = next(line for line in commands if "manage.py demo" in line)
    server = next(line for line in commands if "manage.py runserver" in line)
    for line in (demo, server):
        assert 'SITE_URL="http://127.0.0.1:8101"' in line
        assert "DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend" in line
    assert server.rstrip("'").endswith("runserver 127.0.0.1:8101")
    assert "manage.py db_worker" in server  # mail leaves through the queue, as in production


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SITE_URL = "http://127.0.0.1:8101"
    return tmp_path / "mail"


@pytest.mark.django_db
def test_the_admin_lists_the_mails_written_to_files(settings, file_mail, editor_client,
                                                   django_capture_on_commit_callbacks):
    settings.DEBUG = True
    # Mail leaves through the task queue once its transaction commits (issue 12).
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_mail(template="password_reset", subject="Een nieuw wachtwoord kiezen",
                            to=["hans@example.org"],
                            context={"name": "Hans", "login_hint": "hans@example.org",
                                     "reset_url": "http://127.0.0.1:8101/account/herstel/x/y/"})
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_mail(template="password_reset", subject="Tweede mail", to=["b@example.org"],
                            context={"name": "B", "login_hint": "b", "reset_url": "http://x/"})
    assert list(file_mail.glob("*.log"))
    response = editor_client.get(reverse("admin:dev_mail"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Tweede mail") < html.index("Een nieuw wachtwoord kiezen")  # newest first
    assert "hans@example.org" in html
    assert '<a href="http://127.0.0.1:8101/account/herstel/x/y/"' in html  # clickable
    assert "Beste Hans," in html  # the plain-text part, decoded
    assert reverse("admin:dev_mail") in editor_client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_the_mail_page_does_not_exist_outside_debug(settings, file_mail, editor_client, guest,
                                                    make_client):
    settings.DEBUG = False
    assert editor_client.get(reverse("admin:dev_mail")).status_code == 404
    assert reverse("admin:dev_mail") not in editor_client.get(reverse("admin:index")).content.decode()
    settings.DEBUG = True
    # Editors only, like the rest of the admin.
    assert make_client(guest).get(reverse("admin:dev_mail")).status_code == 302
