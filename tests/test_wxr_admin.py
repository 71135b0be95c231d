"""The admin's import page: upload, dry run, import, progress and report, as background tasks."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from blog.models import Image, Post
from tests.factories import LivePostFactory
from tests.test_wxr_findings import author, export, item
from wordpress.models import WxrImport
from wordpress.tasks import run_wxr_import

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
ADD = "/beheer/wordpress/wxrimport/add/"


@pytest.fixture(autouse=True)
def database_queue(settings):
    """These tests drive the real queue: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/xml")


def run_worker():
    """What `manage.py db_worker` does on any node: every queued task, then stop.

    Inside the test's transaction, the worker's `close_old_connections` would close the test's
    own connection (autocommit is off there), so that one step is left out."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


def start(editor_client, django_capture_on_commit_callbacks, path, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD, {"wxr_file": upload(path), **extra})
    return response


def test_upload_dry_run_import_and_report(editor_client, django_capture_on_commit_callbacks,
                                          settings, tmp_path):
    LivePostFactory(slug="bericht-1", title="Bestaand")
    path = export(tmp_path, item(1, "Eerste"), item(2, "Tweede", date="2010-12-07 07:00:00"))
    response = start(editor_client, django_capture_on_commit_callbacks, path)
    wxr_import = WxrImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/wordpress/wxrimport/{wxr_import.pk}/change/"
    assert wxr_import.state == WxrImport.State.CHECKING and wxr_import.original_name == "oud.wxr"
    # Stored where every node's worker finds it, not in the request.
    assert media_files(settings) == [wxr_import.wxr_file.name]
    assert DBTaskResult.objects.count() == 1

    page = editor_client.get(response["Location"]).content.decode()
    assert 'id="wxr-progress"' in page and "Proefrun" in page

    run_worker()
    wxr_import.refresh_from_db()
    assert wxr_import.state == WxrImport.State.CHECKED
    assert Post.objects.count() == 1  # the dry run wrote nothing
    page = editor_client.get(response["Location"]).content.decode()
    assert "PROEFRUN" in page and "Berichten: 2 nieuw (2 gepubliceerd)" in page
    assert "“bericht-1” is al in gebruik: wordt “bericht-1-2”" in page  # what would collide
    assert 'value="Importeren"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/importeren/")
    assert response.status_code == 302
    wxr_import.refresh_from_db()
    assert wxr_import.state == WxrImport.State.IMPORTING
    progress = editor_client.get(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/voortgang/")
    assert progress.json()["running"] is True and "private" in progress["Cache-Control"]

    run_worker()
    wxr_import.refresh_from_db()
    assert wxr_import.state == WxrImport.State.DONE
    assert (wxr_import.done, wxr_import.total) == (2, 2)
    assert Post.objects.count() == 3
    page = editor_client.get(response["Location"]).content.decode()
    assert "Verslag van de import" in page and "Berichten: 2 nieuw (2 gepubliceerd)" in page
    assert 'value="Importeren"' not in page
    # The uploads held drafts and commenters' addresses: gone once imported.
    assert media_files(settings) == []
    assert editor_client.get(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/voortgang/").json() \
        == {"state": "done", "running": False, "done": 2, "total": 2, "percent": 100,
            "phase": wxr_import.phase, "text": f"2 van 2 items · {wxr_import.phase}"}


def test_a_second_click_on_import_queues_nothing_more(editor_client,
                                                      django_capture_on_commit_callbacks,
                                                      tmp_path):
    start(editor_client, django_capture_on_commit_callbacks, export(tmp_path, item(1, "Eén")))
    run_worker()
    wxr_import = WxrImport.objects.get()
    url = f"/beheer/wordpress/wxrimport/{wxr_import.pk}/importeren/"
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url)
        response = editor_client.post(url, follow=True)
    assert "loopt al of is al klaar" in response.content.decode()
    assert DBTaskResult.objects.count() == 2  # the dry run and one import


@pytest.mark.parametrize("text, message", [
    ("<html><body>Geen export</body></html>", "begint met &lt;html&gt;"),
    ('<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
     "<channel><title>x</title><wp:base_site_url>https://x.example</wp:base_site_url>"
     "<item><title>y</title><wp:post_id>1</wp:post_id></item>"
     "</channel></rss>", "versienummer (wp:wxr_version) ontbreekt"),
])
def test_a_file_that_is_no_export_is_refused_at_once_and_nothing_is_stored(
        editor_client, settings, tmp_path, text, message):
    path = tmp_path / "fout.xml"
    path.write_text(text, encoding="utf-8")
    response = editor_client.post(ADD, {"wxr_file": upload(path)})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "kies het bestand opnieuw" in page
    assert not WxrImport.objects.exists() and media_files(settings) == []
    assert not DBTaskResult.objects.exists()


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("members, message", [
    ({"../../etc/passwd": b"x"}, "buiten de map"),
    ({"/abs/foto.jpg": b"x"}, "buiten de map"),
    ({"wp-content/uploads/bom.jpg": b"\0" * 30_000_000}, "onredelijk groot"),
])
def test_a_dangerous_zip_is_refused(editor_client, settings, tmp_path, members, message):
    path = export(tmp_path, item(1, "Eén"))
    media = SimpleUploadedFile("uploads.zip", zip_bytes(members), content_type="application/zip")
    response = editor_client.post(ADD, {"wxr_file": upload(path), "media_zip": media})
    assert message in response.content.decode()
    assert not WxrImport.objects.exists() and media_files(settings) == []


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(editor_client, settings, tmp_path):
    settings.WORDPRESS_IMPORT_MAX_MB = 1
    media = SimpleUploadedFile("uploads.zip", zip_bytes({"a.jpg": b"a" * 600_000,
                                                        "b.jpg": b"b" * 600_000}))
    response = editor_client.post(ADD, {"wxr_file": upload(export(tmp_path, item(1, "Eén"))),
                                        "media_zip": media})
    assert "het maximum is 1 MB" in response.content.decode()
    assert not WxrImport.objects.exists()


def test_not_a_zip_is_refused(editor_client, tmp_path):
    media = SimpleUploadedFile("uploads.zip", b"dit is geen zip")
    response = editor_client.post(ADD, {"wxr_file": upload(export(tmp_path, item(1, "Eén"))),
                                        "media_zip": media})
    assert "geen zip-bestand" in response.content.decode()


def test_pictures_come_from_the_uploaded_zip(editor_client, django_capture_on_commit_callbacks,
                                             tmp_path, make_image, settings):
    media = SimpleUploadedFile("uploads.zip", zip_bytes({
        "wp-content/uploads/2010/12/foto.jpg": make_image("JPEG", (900, 600)),
        "wp-content/uploads/2010/12/leesmij.txt": b"tekst",
    }, compression=zipfile.ZIP_STORED))
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(ADD, {"wxr_file": upload(FIXTURES / "media.wxr"), "media_zip": media})
    run_worker()
    wxr_import = WxrImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/importeren/")
    run_worker()
    assert Image.objects.get().original_name == "foto.jpg"
    featured = Post.objects.get(title="Alles erop en eraan")
    assert featured.featured_image.original_name == "foto.jpg"
    wxr_import.refresh_from_db()
    assert wxr_import.state == WxrImport.State.DONE
    assert set(media_files(settings)) == set(Image.objects.get().renditions.values())


def test_a_file_that_turns_out_broken_fails_with_its_reason(editor_client, tmp_path,
                                                            django_capture_on_commit_callbacks):
    path = export(tmp_path, item(1, "Eén"))
    start(editor_client, django_capture_on_commit_callbacks, path)
    wxr_import = WxrImport.objects.get()
    # The stored file changed meanwhile (a disk error): the task says so and writes nothing.
    with wxr_import.wxr_file.open("wb") as handle:
        handle.write(b"<rss><channel><wp:wxr_version>x")
    run_wxr_import.call(wxr_import.pk, True)
    wxr_import.refresh_from_db()
    assert wxr_import.state == WxrImport.State.FAILED and wxr_import.error
    page = editor_client.get(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/change/")
    assert "Niet gelukt" in page.content.decode()


def test_only_editors_reach_the_import_page(client, guest_client, guest, tmp_path):
    assert client.get(ADD).status_code == 302  # to the login page
    assert guest_client.get(ADD).status_code == 302
    response = guest_client.post(ADD, {"wxr_file": upload(export(tmp_path, item(1, "Eén")))})
    assert response.status_code == 302 and not WxrImport.objects.exists()
    assert not Post.objects.exists()


def test_the_upload_page_says_when_the_site_has_posts_already(editor_client):
    assert "Deze site heeft al berichten" not in editor_client.get(ADD).content.decode()
    LivePostFactory()
    assert "Deze site heeft al berichten" in editor_client.get(ADD).content.decode()


def test_removing_an_import_removes_its_uploads(editor_client, django_capture_on_commit_callbacks,
                                                settings, tmp_path):
    start(editor_client, django_capture_on_commit_callbacks,
          export(tmp_path, item(1, "Eén"), header=author("kees", "Kees", 2)))
    wxr_import = WxrImport.objects.get()
    response = editor_client.post(f"/beheer/wordpress/wxrimport/{wxr_import.pk}/delete/",
                                  {"post": "yes"})
    assert response.status_code == 302
    assert not WxrImport.objects.exists() and media_files(settings) == []


def test_a_run_that_stopped_moving_points_at_the_task_worker(editor_client, tmp_path,
                                                             django_capture_on_commit_callbacks):
    start(editor_client, django_capture_on_commit_callbacks, export(tmp_path, item(1, "Eén")))
    wxr_import = WxrImport.objects.get()
    url = f"/beheer/wordpress/wxrimport/{wxr_import.pk}/change/"
    assert "db_worker" not in editor_client.get(url).content.decode()
    WxrImport.objects.filter(pk=wxr_import.pk).update(
        updated_at=timezone.now() - timedelta(minutes=11))
    page = editor_client.get(url).content.decode()
    assert "Er is al 10 minuten niets veranderd" in page and "python manage.py db_worker" in page
