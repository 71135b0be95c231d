"""The editor moves in from WordPress in the browser: upload, dry run, import, progress, report."""

import re

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from blog.models import Post
from comments.models import Comment
from tests.e2e.a11y import assert_accessible
from tests.factories import PASSWORD, EditorFactory, LivePostFactory
from tests.test_wxr_findings import comment, export, item
from wordpress.models import WxrImport


@pytest.fixture(autouse=True)
def database_queue(settings):
    """These tests drive the real queue: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What `manage.py db_worker` does on a node: run the queued tasks, then stop.

    It runs in this thread, between browser steps. Every request of the page goes through
    `page.route`, which Playwright only serves during a browser step, so the page's polling
    waits while the worker works: SQLite's in-memory test database (shared cache) answers
    concurrent writers with "table is locked" instead of waiting, as a real database does.
    """
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="e2e", excluded_queue_names=[]).run()


@pytest.mark.django_db(transaction=True)
def test_editor_imports_a_wordpress_export(page, screenshot, tmp_path):
    editor = EditorFactory(username="anneke-redactie")
    LivePostFactory(slug="bericht-1", title="Er staat al iets")
    posts = [item(n, f"Oud bericht {n}", date=f"2010-11-{n:02d} 07:00:00",
                  comments=comment(100 + n, "Lezer", f"Reactie op {n}."))
             for n in range(1, 26)]
    path = export(tmp_path, *posts)
    page.route(re.compile(".*"), lambda route: route.continue_())

    page.goto("/beheer/")
    page.get_by_label("Gebruikersnaam").fill(editor.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("navigation", name="Redactiemenu").get_by_role(
        "link", name="WordPress-import").click()
    page.get_by_text("Deze site heeft al berichten").wait_for()
    assert_accessible(page)
    screenshot(page, "upload")

    page.get_by_label("WordPress-export (WXR-bestand)").set_input_files(str(path))
    page.get_by_role("button", name="Uploaden en proefrun starten").click()
    # The dry run waits for a worker: the bar is there, and still there after a reload.
    progress = page.locator("progress#wxr-progress")
    progress.wait_for()
    page.reload()
    progress.wait_for()
    assert "Dit loopt op de achtergrond" in page.content()
    assert "Wacht op de taak" in page.locator("#wxr-progress-text").inner_text()
    assert_accessible(page)
    screenshot(page, "waiting")

    run_worker()
    # The page's polling sees the run finished and shows the report.
    page.get_by_role("heading", name="Proefrun: wat de import zou doen").wait_for(timeout=30_000)
    report = page.locator("#content-main").inner_text()
    assert "Berichten: 25 nieuw (25 gepubliceerd)" in report
    assert "Reacties: 25 nieuw (25 goedgekeurd)" in report
    assert "“bericht-1” is al in gebruik: wordt “bericht-1-2”" in report
    assert Post.objects.count() == 1  # nothing written yet
    assert_accessible(page)
    screenshot(page, "dry-run")

    page.get_by_role("button", name="Importeren").click()
    progress.wait_for()
    assert page.locator("#wxr-state").inner_text() == "import bezig"
    run_worker()
    page.get_by_role("heading", name="Verslag van de import").wait_for(timeout=30_000)
    report = page.locator("#content-main").inner_text()
    assert "Berichten: 25 nieuw (25 gepubliceerd)" in report
    assert "Stand: geïmporteerd" in report
    assert_accessible(page)
    screenshot(page, "report")
    page.problems.assert_clean()

    assert Post.objects.count() == 26 and Comment.objects.count() == 25
    wxr_import = WxrImport.objects.get()
    assert wxr_import.state == WxrImport.State.DONE and (wxr_import.done, wxr_import.total) == \
        (25, 25)
    page.goto(Post.objects.get(title="Oud bericht 1").get_absolute_url())
    page.get_by_role("heading", name="Oud bericht 1").wait_for()
