"""`manage.py demo`: load the demo blog (idempotent) and print the demo accounts.

Running it again adds and changes nothing. It refuses to run with DEBUG off unless
`--force` is given: the accounts it creates have passwords printed here and in the README.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoLoader, DemoResult

# Dutch labels for the created-object counts in the summary.
LABELS = {
    "accounts": "accounts",
    "author profiles": "auteursprofielen",
    "trend lists": "trendlijsten",
    "trends": "trends",
    "series": "reeksen",
    "posts": "berichten",
    "pages": "pagina's",
    "comments": "reacties",
    "images": "afbeeldingen",
}


class Command(BaseCommand):
    help = (
        "Laadt de demo-inhoud (trends 2010, de decemberreeks, gastauteurs, reacties) en toont "
        "de demo-accounts. Nog een keer draaien verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook draaien als DEBUG uit staat (maakt accounts met bekende wachtwoorden).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo maakt accounts met bekende wachtwoorden en draait daarom alleen met "
                "DJANGO_DEBUG=1 (zoals `make run`). Weet je het zeker, gebruik dan --force. "
                "(The demo creates accounts with known passwords: DEBUG only, or --force.)"
            )
        loader = DemoLoader()
        try:
            result = loader.load()
        except BaseException:
            loader.discard_files()
            raise
        self.stdout.write(self.report(result))

    def report(self, result: DemoResult) -> str:
        site = settings.SITE_URL
        if result.changed_anything:
            made = ", ".join(
                f"{count} {LABELS.get(kind, kind)}"
                for kind, count in result.created.items()
                if count
            )
            status = self.style.SUCCESS(f"Demo-inhoud geladen (demo content loaded): {made}.")
        else:
            status = self.style.SUCCESS(
                "Demo-inhoud was er al; niets gewijzigd (demo content already present)."
            )
        width = max(len(a.username) for a in result.accounts)
        pwidth = max(len(a.password) for a in result.accounts)
        lines = [
            status,
            "",
            f"  Site               {site}/",
            f"  Beheer (admin)     {site}/beheer/",
            f"  Schrijftafel       {site}/schrijven/",
        ]
        for slug in result.series_slugs:
            lines.append(f"  Reeks (series)     {site}/reeks/{slug}/")
        lines += [
            "",
            "  Demo-accounts (gebruikersnaam / wachtwoord, tenzij je het wijzigde):",
        ]
        for account in result.accounts:
            lines.append(
                f"    {account.username.ljust(width)}  {account.password.ljust(pwidth)}  "
                f"{account.role}, {account.name}"
            )
        lines.append("")
        return "\n".join(lines)
