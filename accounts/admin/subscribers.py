"""Newsletter subscriber admin (issue 7): states with counts, CSV export, unsubscribing.

Editors cannot add addresses: the list holds only people who confirmed themselves.
"""

import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import newsletter
from accounts.models import Subscriber

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text, defused: a leading formula character gets a quote in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class StateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = Subscriber.objects.state_counts()
        return [
            (state.value, f"{state.label} ({counts[state]})") for state in Subscriber.State
        ]

    def queryset(self, request, queryset):
        if self.value() in Subscriber.State.values:
            return queryset.in_state(self.value())
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "state_label", "created_at", "confirmed_at",
                    "unsubscribed_at"]
    list_filter = [StateFilter]
    search_fields = ["email", "name"]
    date_hierarchy = "created_at"
    fields = ["email", "name", "created_at", "confirmation_sent_at", "confirmed_at",
              "unsubscribed_at"]
    readonly_fields = ["email", "created_at", "confirmation_sent_at", "confirmed_at",
                       "unsubscribed_at"]
    actions = ["export_csv", "unsubscribe_selected"]

    @admin.display(description=_("status"))
    def state_label(self, obj):
        return obj.get_state_display()

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        counts = Subscriber.objects.state_counts()
        extra_context = {
            **(extra_context or {}),
            "subtitle": _("%(confirmed)s bevestigd · %(pending)s wachten op bevestiging · "
                          "%(unsubscribed)s afgemeld")
            % {key.value: value for key, value in counts.items()},
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Exporteer de gekozen abonnees als CSV"),
                  permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="abonnees-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow([gettext("e-mailadres"), gettext("naam"), gettext("status"),
                         gettext("aangemeld"), gettext("bevestigd"), gettext("afgemeld")])
        for subscriber in queryset.order_by("email").iterator():
            writer.writerow(
                csv_safe(cell)
                for cell in [
                    subscriber.email,
                    subscriber.name,
                    subscriber.get_state_display(),
                    _local(subscriber.created_at),
                    _local(subscriber.confirmed_at),
                    _local(subscriber.unsubscribed_at),
                ]
            )
        return response

    @admin.action(description=_("Meld de gekozen abonnees af"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        count = 0
        for token in queryset.filter(unsubscribed_at__isnull=True).values_list(
            "unsubscribe_token", flat=True
        ):
            newsletter.unsubscribe(token=token)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d abonnee afgemeld.", "%(count)d abonnees afgemeld.", count)
            % {"count": count},
            messages.SUCCESS,
        )
