"""`python manage.py import_wxr FILE [--dry-run] [--media-dir DIR]`: move in from WordPress."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wordpress.importer import WxrImporter
from wordpress.reader import WxrError


class Command(BaseCommand):
    help = _(
        "Importeer een WordPress-export (WXR 1.0–1.2): auteurs, berichten, pagina's, "
        "afbeeldingen, reacties en tags; oude links gaan met een 301 naar de nieuwe. "
        "Nog eens draaien maakt niets dubbel."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("het WXR-bestand (Extra → Exporteren in WordPress)"))
        parser.add_argument(
            "--dry-run", action="store_true",
            help=_("laat zien wat er zou gebeuren, zonder iets op te slaan"),
        )
        parser.add_argument(
            "--media-dir",
            help=_("de map met de uploads van WordPress (wp-content/uploads), voor de "
                   "afbeeldingen"),
        )

    def handle(self, *args, file, dry_run=False, media_dir=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Bestand niet gevonden: %(path)s") % {"path": path})
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(_("Map niet gevonden: %(path)s") % {"path": media_dir})
        importer = WxrImporter(
            path, media_dir=media_dir, dry_run=dry_run,
            progress=lambda message: self.stderr.write(message),
        )
        try:
            report = importer.run()
        except WxrError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
