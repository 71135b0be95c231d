"""The outbox in the admin: what is waiting, what failed and why, and "send again"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from outbox.models import Mail
from outbox.tasks import send_again

# The task queue's own list (django-tasks-db, in English) is an operator's tool, not the
# editor's: queued, failed and retried mail is shown here, imports on their own page.
# Operators read the queue with `manage.py db_worker` logs or the database.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "recipients", "state", "attempts",
                    "next_attempt_at", "sent_at", "error")
    list_filter = ("state", "template")
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    actions = ["send_again_now"]
    fields = ("subject", "recipients", "template", "key", "state", "attempts", "created_at",
              "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description=_("aan"))
    def recipients(self, mail: Mail) -> str:
        return ", ".join(mail.to)

    @admin.display(description=_("laatste fout"))
    def error(self, mail: Mail) -> str:
        return mail.last_error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only: the action below is the one thing to do

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Nu opnieuw versturen (mislukt, onderbroken of wachtend)"),
                  permissions=["view"])
    def send_again_now(self, request, queryset):
        count = send_again(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d e-mail staat weer in de wachtrij.",
                     "%(count)d e-mails staan weer in de wachtrij.", count) % {"count": count},
            messages.SUCCESS,
        )
