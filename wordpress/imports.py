"""An import from the admin: upload → dry run → import, the work done by a background task.

`start` checks the uploads while the editor waits (a file that is no WordPress export, or a zip
that must be refused, gets a Dutch message and nothing is stored), stores them in the site's
storage (MEDIA: every node's task worker can read them there), and queues the dry run.
`confirm` queues the real import of what the dry run showed. `run` is what the task does:
the importer with its progress written to the `WxrImport` row (any node's page can show it,
and a reload shows the same), then the report. Once imported, the uploaded files are removed:
they hold commenters' e-mail addresses and unpublished drafts.
"""

import logging
import time

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wordpress import reader
from wordpress.importer import WxrImporter
from wordpress.media import MediaZip, check_zip
from wordpress.models import WxrImport

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 0.5  # the row is written at most this often


class _Unclosed:
    """An upload read by the reader, which closes what it opened: this one stays open."""

    def __init__(self, upload):
        self.upload = upload
        upload.seek(0)

    def read(self, size=-1):
        return self.upload.read(size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.upload.seek(0)


def check_wxr(upload) -> str:
    """The WXR version of an uploaded export, read from its header only; ValidationError
    (Dutch) when it is not a WordPress export WordPress would accept either."""
    from django.conf import settings

    limit = settings.WORDPRESS_IMPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Het bestand is groter dan %(max)s MB.") % {"max": limit})
    try:
        for record in reader.WxrFile(lambda: _Unclosed(upload)).records(light=True):
            if isinstance(record, reader.Channel):
                return record.wxr_version
    except reader.WxrError as exc:
        raise ValidationError(str(exc)) from exc
    finally:
        upload.seek(0)
    raise ValidationError(_("Dit is geen WordPress-export (WXR)."))


def check_media(upload) -> None:
    from django.conf import settings

    limit = settings.WORDPRESS_IMPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("De zip is groter dan %(max)s MB.") % {"max": limit})
    try:
        check_zip(upload)
    finally:
        upload.seek(0)


def start(*, wxr_upload, media_upload=None, user) -> WxrImport:
    """Store the uploads (checked by the form) and queue the dry run."""
    wxr_import = WxrImport(original_name=wxr_upload.name[:255], started_by=user,
                           state=WxrImport.State.CHECKING, phase=_("Wacht op de taak…"))
    wxr_import.wxr_file.save("export.wxr", wxr_upload, save=False)
    if media_upload is not None:
        wxr_import.media_zip.save("uploads.zip", media_upload, save=False)
    try:
        with transaction.atomic():
            wxr_import.save()
            _queue(wxr_import, dry_run=True)
    except Exception:
        _remove_files(wxr_import)  # nothing half-stored
        raise
    return wxr_import


def confirm(*, wxr_import: WxrImport) -> bool:
    """Queue the real import (after a dry run, or again after a failure); False when it is
    running or done already (a second click, another editor)."""
    with transaction.atomic():
        changed = WxrImport.objects.filter(
            pk=wxr_import.pk, state__in=[WxrImport.State.CHECKED, WxrImport.State.FAILED],
        ).exclude(wxr_file="").update(state=WxrImport.State.IMPORTING, done=0, total=0,
                                      error="", phase=_("Wacht op de taak…"),
                                      updated_at=timezone.now())
        if changed:
            _queue(wxr_import, dry_run=False)
    return bool(changed)


def _queue(wxr_import: WxrImport, *, dry_run: bool) -> None:
    from wordpress.tasks import run_wxr_import

    transaction.on_commit(lambda: run_wxr_import.enqueue(wxr_import.pk, dry_run))


def run(import_id: int, dry_run: bool) -> None:
    """The task: the dry run or the import, its progress on the row, then its report."""
    wxr_import = WxrImport.objects.get(pk=import_id)
    expected = WxrImport.State.CHECKING if dry_run else WxrImport.State.IMPORTING
    if wxr_import.state != expected:
        logger.warning("WXR import %s is %s, not %s: not run again", import_id,
                       wxr_import.state, expected)
        return
    last = 0.0

    def write(**fields):
        fields["updated_at"] = timezone.now()
        WxrImport.objects.filter(pk=import_id).update(**fields)

    def progress(message: str) -> None:
        write(phase=message[:200])

    def counter(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_SECONDS or done == total:
            last = time.monotonic()
            write(done=done, total=total)

    media = None
    try:
        if wxr_import.media_zip:
            media = MediaZip(lambda: default_storage.open(wxr_import.media_zip.name, "rb"))
        report = WxrImporter(
            lambda: default_storage.open(wxr_import.wxr_file.name, "rb"), media=media,
            dry_run=dry_run, name=wxr_import.original_name, progress=progress, counter=counter,
        ).run()
    except (reader.WxrError, ValidationError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        write(state=WxrImport.State.FAILED, error=message, finished_at=timezone.now())
        return
    except Exception:
        logger.exception("WXR import %s failed", import_id)
        write(state=WxrImport.State.FAILED, finished_at=timezone.now(),
              error=_("De import is afgebroken door een fout op de server. Wat al binnen was, "
                      "blijft staan; opnieuw importeren vult de rest aan."))
        raise
    finally:
        if media is not None:
            media.close()
    if dry_run:
        write(state=WxrImport.State.CHECKED, dry_run_report=report.as_json())
        return
    write(state=WxrImport.State.DONE, report=report.as_json(), finished_at=timezone.now())
    wxr_import.refresh_from_db()
    _remove_files(wxr_import)


def _remove_files(wxr_import: WxrImport) -> None:
    for field in (wxr_import.wxr_file, wxr_import.media_zip):
        if field and field.name:
            try:
                field.storage.delete(field.name)
            except OSError:
                logger.warning("could not remove %s", field.name)
    if wxr_import.pk:
        WxrImport.objects.filter(pk=wxr_import.pk).update(wxr_file="", media_zip="")


def remove(wxr_import: WxrImport) -> None:
    """An import the editor throws away: its uploads go, the row too."""
    _remove_files(wxr_import)
    wxr_import.delete()
