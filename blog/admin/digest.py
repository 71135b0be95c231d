"""Mailing-list digest admin (issue 7): the runs, and what each one sent.

Read-only: runs are written by `send_digest` alone. The list says per run which window it
covered, how many posts it mailed to how many subscribers and how many failed; above the
list, how many live posts wait for the next run (a stopped cron shows up here).
"""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blog import digest
from blog.models.digest import DigestDelivery, DigestRun, DigestRunPost

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
