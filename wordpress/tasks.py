"""Background work of the WordPress import (Django Tasks: `manage.py db_worker` runs it)."""

from django_tasks import task

from wordpress import imports


@task()
def run_wxr_import(import_id: int, dry_run: bool) -> None:
    """The dry run or the import of an upload from the admin (`wordpress.imports.run`)."""
    imports.run(import_id, dry_run)
