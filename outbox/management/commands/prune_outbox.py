"""`python manage.py prune_outbox [--days 30]`: forget mails that were settled long ago.

Sent, failed and interrupted mails older than `--days` are deleted (their recipients are
personal data, and the record has served its purpose); queued ones are never touched. Run
it daily beside `prune_db_task_results` (deploy/welzijn-prune.service).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.models import Mail


class Command(BaseCommand):
    help = _("Verwijder verstuurde, mislukte en onderbroken e-mails ouder dan zoveel dagen.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days=30, **options):
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _details = Mail.objects.filter(
            created_at__lt=cutoff,
            state__in=[Mail.State.SENT, Mail.State.FAILED, Mail.State.INTERRUPTED],
        ).delete()
        if deleted:
            self.stdout.write(_("%(count)s e-mail(s) verwijderd.") % {"count": deleted})
