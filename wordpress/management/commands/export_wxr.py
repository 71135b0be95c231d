"""`python manage.py export_wxr [--output FILE]`: this site as a WordPress export (WXR 1.2)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wordpress.exporter import WxrExporter


class _Unterminated:
    """The command's stdout without the newline Django adds to every write."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")


class Command(BaseCommand):
    help = _(
        "Schrijf alle berichten, pagina's, tags, auteurs en reacties als WordPress-export "
        "(WXR 1.2), te importeren in WordPress of met import_wxr."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o",
            help=_("het bestand om te schrijven (zonder: naar standaarduitvoer)"),
        )

    def handle(self, *args, output=None, **options):
        if not output:
            WxrExporter(_Unterminated(self.stdout)).run()
            self.stdout.flush()
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("Map niet gevonden: %(path)s") % {"path": path.parent})
        # Written next to the target and moved into place: never a half-written export.
        partial = path.with_name(f".{path.name}.part")
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as out:
                counts = WxrExporter(out).run()
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()
        self.stderr.write(
            _("Geëxporteerd naar %(path)s: %(posts)s berichten, %(pages)s pagina's, "
              "%(comments)s reacties, %(tags)s tags, %(authors)s auteurs, "
              "%(attachments)s afbeeldingen.") % {"path": path, **counts}
        )
