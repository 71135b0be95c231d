"""Where an import finds the files of WordPress's attachments: a folder, or an uploaded zip.

Both answer `find(candidates)` with a `MediaFile` (a name and a way to open it) or None. The
names come from the export, which is not trusted: a folder never hands out a file outside
itself, and a zip is read in place (nothing is unpacked onto disk), member by member, each
at most `UPLOAD_MAX_BYTES` as the image pipeline allows.

`check_zip` is what the admin runs on an upload before storing it: it refuses what is not a
zip, a zip bomb (too many members, too large unpacked, an absurd compression ratio) and
members whose names climb out of the folder (`../`, absolute paths), with a Dutch message.
"""

import io
import os
import posixpath
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_MEMBERS = 100_000
MAX_RATIO = 200  # unpacked size / packed size of one member; images barely compress


@dataclass(frozen=True)
class MediaFile:
    name: str
    opener: Callable[[], BinaryIO]

    @contextmanager
    def open(self):
        handle = self.opener()
        try:
            yield handle
        finally:
            handle.close()


class MediaFolder:
    """`--media-dir`: WordPress's `wp-content/uploads`, or a folder that holds it."""

    def __init__(self, root):
        self.root = str(Path(root).resolve())

    def find(self, candidates: list[str]) -> MediaFile | None:
        for relative in candidates:
            relative = relative.lstrip("/")
            for option in (relative, f"wp-content/uploads/{relative}"):
                full = os.path.normpath(os.path.join(self.root, option))
                # The file names come from the export: never outside the given folder.
                if full.startswith(self.root + os.sep) and os.path.isfile(full):
                    return MediaFile(os.path.basename(full),
                                     lambda full=full: open(full, "rb"))
        return None


def _safe_member(name: str) -> str | None:
    """The member's path inside the zip, or None when it would climb out of it."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [part for part in name.split("/") if part not in {"", "."}]
    if any(part == ".." for part in parts):
        return None
    return "/".join(parts)


def check_zip(handle: BinaryIO) -> list[zipfile.ZipInfo]:
    """The zip's usable members; ValidationError (Dutch) when it must be refused whole."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValidationError(_("Dit is geen zip-bestand (of het is beschadigd).")) from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValidationError(_("De zip bevat meer dan %(n)s bestanden; pak alleen "
                                "wp-content/uploads in.") % {"n": f"{MAX_MEMBERS:,}".replace(",", ".")})
    limit = settings.WORDPRESS_IMPORT_MAX_MB * 1024 * 1024
    unpacked = sum(info.file_size for info in members)
    if unpacked > limit:
        raise ValidationError(_("Uitgepakt zou de zip %(size)s MB zijn; het maximum is %(max)s MB.")
                              % {"size": unpacked // (1024 * 1024),
                                 "max": settings.WORDPRESS_IMPORT_MAX_MB})
    climbing = [info.filename for info in members if _safe_member(info.filename) is None]
    if climbing:
        raise ValidationError(_("De zip bevat bestanden met een pad buiten de map (zoals "
                                "“%(name)s”); zo'n zip wordt niet aangenomen.")
                              % {"name": climbing[0][:100]})
    bombs = [info.filename for info in members
             if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)]
    if bombs:
        raise ValidationError(_("De zip bevat een bestand dat uitgepakt onredelijk groot wordt "
                                "(“%(name)s”); zo'n zip wordt niet aangenomen.")
                              % {"name": bombs[0][:100]})
    return members


class MediaZip:
    """A zip of `wp-content/uploads` (or of its contents), read in place."""

    def __init__(self, opener: Callable[[], BinaryIO]):
        self.handle = opener()
        members = check_zip(self.handle)
        self.archive = zipfile.ZipFile(self.handle)
        self.index: dict[str, zipfile.ZipInfo] = {}
        for info in members:
            path = _safe_member(info.filename)
            if path and not info.is_dir():
                self.index.setdefault(path.lower(), info)

    def close(self) -> None:
        self.archive.close()
        self.handle.close()

    def find(self, candidates: list[str]) -> MediaFile | None:
        for relative in candidates:
            relative = _safe_member(relative.lstrip("/"))
            if not relative:
                continue
            for option in (relative, f"wp-content/uploads/{relative}", f"uploads/{relative}"):
                info = self.index.get(option.lower())
                if info is not None:
                    return MediaFile(posixpath.basename(info.filename),
                                     lambda info=info: self._read(info))
        return None

    def _read(self, info: zipfile.ZipInfo) -> BinaryIO:
        """The member in memory, never more than an upload may be (the zip's sizes can lie)."""
        limit = settings.UPLOAD_MAX_BYTES
        with self.archive.open(info) as member:
            data = member.read(limit + 1)
        return io.BytesIO(data)
