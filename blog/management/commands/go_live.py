"""`python manage.py go_live`: do once what must happen when a post goes live.

Run it every minute from cron, on any number of nodes (see the README, "Cron").
"""

from django.core.management.base import BaseCommand, CommandError

from blog import golive


class Command(BaseCommand):
    help = "Meldt elk bericht dat live is gegaan precies één keer (e-mail aan de auteur)."

    def handle(self, *args, **options):
        result = golive.run()
        if result.announced or options["verbosity"] > 1:
            self.stdout.write(f"go_live: {len(result.announced)} bericht(en) gemeld")
        if result.failed:
            raise CommandError(
                "go_live: mislukt voor bericht(en) "
                + ", ".join(f"{pk} ({why})" for pk, why in sorted(result.failed.items()))
                + "; de volgende run probeert het opnieuw."
            )
