"""The mailing list in the admin.

Subscribers: states with counts, CSV export, unsubscribing. Editors cannot add addresses:
the list holds only people who confirmed themselves.

Digest runs, read-only (written by `send_digest` alone): per run which window it covered,
how many posts it mailed to how many subscribers and how many failed; above the list, how
many live posts wait for the next run (a stopped cron shows up here).
"""

import csv

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsletter import digest
from newsletter import subscriptions as newsletter
from newsletter.models import DigestDelivery, DigestRun, DigestRunPost, Subscriber

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




# --- digest runs: what each send_digest run mailed -------------------------------------

State = DigestDelivery.State


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y H:i") if moment else "—"


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "window", "started_at", "finished", "post_total",
                    "sent_total", "failed_total", "open_total"]
    list_display_links = ["__str__"]
    fields = ["number", "window", "started_at", "finished_at", "post_list", "figures",
              "failure_list"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Posts counted in a subquery: joining posts and deliveries at once would multiply rows.
        post_total = (
            DigestRunPost.objects.filter(run=OuterRef("pk"))
            .values("run")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return super().get_queryset(request).annotate(
            post_total=Coalesce(Subquery(post_total, output_field=IntegerField()), 0),
            sent_total=Count("deliveries", filter=Q(deliveries__state=State.SENT)),
            skipped_total=Count("deliveries", filter=Q(deliveries__state=State.SKIPPED)),
            failed_total=Count("deliveries", filter=Q(deliveries__state__in=State.failures())),
            open_total=Count("deliveries", filter=Q(deliveries__state__in=State.open())),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        waiting = digest.waiting_posts().count()
        if waiting:
            subtitle = ngettext(
                "%(count)d live bericht wacht op de volgende digest (sinds %(since)s).",
                "%(count)d live berichten wachten op de volgende digest (sinds %(since)s).",
                waiting,
            ) % {"count": waiting, "since": _when(digest.high_water_mark())}
        else:
            subtitle = _("Geen berichten die op de volgende digest wachten.")
        extra_context = {**(extra_context or {}), "subtitle": subtitle}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("berichten uit"))
    def window(self, obj):
        return f"{_when(obj.window_start)} – {_when(obj.window_end)}"

    @admin.display(description=_("klaar"), ordering="finished_at")
    def finished(self, obj):
        return _when(obj.finished_at) if obj.finished_at else _("nog bezig of onderbroken")

    @admin.display(description=_("berichten"), ordering="post_total")
    def post_total(self, obj):
        return obj.post_total

    @admin.display(description=_("verstuurd"), ordering="sent_total")
    def sent_total(self, obj):
        return obj.sent_total

    @admin.display(description=_("mislukt"), ordering="failed_total")
    def failed_total(self, obj):
        return obj.failed_total

    @admin.display(description=_("nog te gaan"), ordering="open_total")
    def open_total(self, obj):
        return obj.open_total

    @admin.display(description=_("berichten"))
    def post_list(self, obj):
        posts = obj.posts.select_related("author__profile").order_by("publish_at")
        if not posts:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{} ({}, {})</li>",
                ((p.title, p.author.display_name, _when(p.publish_at)) for p in posts),
            ),
        )

    @admin.display(description=_("ontvangers"))
    def figures(self, obj):
        return _("%(sent)s verstuurd, %(skipped)s overgeslagen, %(failed)s mislukt, "
                 "%(open)s nog te gaan") % {
            "sent": obj.sent_total, "skipped": obj.skipped_total,
            "failed": obj.failed_total, "open": obj.open_total,
        }

    @admin.display(description=_("mislukte bezorgingen"))
    def failure_list(self, obj):
        failures = (
            obj.deliveries.filter(state__in=State.failures())
            .select_related("subscriber")
            .order_by("pk")[:100]
        )
        if not failures:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: {} ({})</li>",
                (
                    (d.subscriber.email if d.subscriber else _("(verwijderd)"),
                     d.get_state_display(), d.error)
                    for d in failures
                ),
            ),
        )
