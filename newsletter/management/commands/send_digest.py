"""`python manage.py send_digest [--dry-run]`: mail new live posts to the mailing list.

Run it from cron, on as many nodes as you like (see the README, "Mailing list"). Every
confirmed subscriber gets every post once; an interrupted run is finished by the next one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from newsletter import digest


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


class Command(BaseCommand):
    help = _("Mail de nieuwe berichten naar de bevestigde abonnees van de mailinglijst.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Laat zien wat er verstuurd zou worden, zonder iets te versturen of op te slaan."),
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self._show_plan(digest.plan())
            return
        try:
            reports = digest.send_digest()
        except digest.DigestAborted as exc:
            raise CommandError(str(exc)) from exc
        if not reports:
            self.stdout.write(_("Geen nieuwe berichten: niets verstuurd."))
        for report in reports:
            self.stdout.write(
                _("Digest %(number)s (%(start)s – %(end)s): %(posts)s bericht(en); "
                  "%(sent)s verstuurd, %(skipped)s overgeslagen, %(failed)s mislukt%(state)s.")
                % {
                    "number": report.number,
                    "start": _when(report.window_start),
                    "end": _when(report.window_end),
                    "posts": len(report.post_titles),
                    "sent": report.sent,
                    "skipped": report.skipped,
                    "failed": report.failed,
                    "state": "" if report.finished else _(" (nog niet klaar)"),
                }
            )

    def _show_plan(self, plan: digest.Plan) -> None:
        self.stdout.write(_("Proefdraaien: er wordt niets verstuurd of opgeslagen."))
        for run, remaining in plan.unfinished:
            self.stdout.write(
                _("Digest %(number)s is nog niet klaar: %(count)s abonnee(s) te gaan.")
                % {"number": run.number, "count": remaining}
            )
        if plan.window is None or not plan.posts:
            self.stdout.write(_("Geen nieuwe berichten voor een volgende digest."))
            return
        start, end = plan.window
        self.stdout.write(
            _("Volgende digest (%(start)s – %(end)s): %(posts)s bericht(en) naar %(count)s "
              "abonnee(s):")
            % {"start": _when(start), "end": _when(end), "posts": len(plan.posts),
               "count": plan.recipients}
        )
        for post in plan.posts:
            self.stdout.write(
                f"- {post.title} ({post.author.display_name}, {_when(post.publish_at)})"
            )
