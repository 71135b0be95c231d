"""Invitation and pitch admin.

Invitations: create (the mail goes out on save), resend, revoke; the list shows each one's
state (open, accepted, expired, revoked). Pitches from /schrijf-mee/: one click turns a
pitch into an invitation (the pitch text carried over), "afwijzen" opens an editable,
kind mail first. Every step calls accounts.invitations.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blog.admin.forms import LocalDateTimeInput
from core.http import absolute_url
from guests import invitations
from guests.forms import DeclinePitchForm
from guests.invitations import InvitationError
from guests.models import Invitation, Pitch
from trends.admin import TrendChoiceAdminMixin, TrendFilter
from trends.forms import trend_label


class InvitationStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("staat")
    parameter_name = "staat"

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open")),
            ("accepted", _("Geaccepteerd")),
            ("expired", _("Verlopen")),
            ("revoked", _("Ingetrokken")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "open":
            return queryset.open(now)
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False, accepted_at__isnull=True)
        if value == "expired":
            return queryset.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
            )
        return queryset


@admin.register(Invitation)
class InvitationAdmin(TrendChoiceAdminMixin, admin.ModelAdmin):
    list_display = ["email", "name", "trend_named", "series", "state", "sent_at", "expires_at",
                    "accepted_by"]
    list_filter = [InvitationStateFilter, "series", ("trend", TrendFilter)]
    search_fields = ["email", "name"]
    list_select_related = ["trend__trend_list", "series", "accepted_by"]
    actions = ["resend", "revoke"]
    date_hierarchy = "created_at"
    # One labelled date-time field instead of the admin's unlabelled date and time pair.
    formfield_overrides = {
        models.DateTimeField: {"form_class": forms.DateTimeField, "widget": LocalDateTimeInput},
    }

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "name", "trend", "series", "message", "expires_at"]
        return ["email", "name", "trend", "series", "message", "state", "link", "expires_at",
                "invited_by", "created_at", "sent_at", "accepted_at", "accepted_by",
                "revoked_at", "from_pitch"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["state", "link", "invited_by", "created_at", "sent_at", "accepted_at",
                 "accepted_by", "revoked_at", "from_pitch"]
        if obj.accepted_at or obj.revoked_at:
            return ["email", "name", "trend", "series", "message", "expires_at", *fixed]
        return ["email", *fixed]

    @admin.display(description=gettext_lazy("trend"), ordering="trend__trend_list__year")
    def trend_named(self, obj):
        return trend_label(obj.trend) if obj.trend else "—"

    @admin.display(description=gettext_lazy("staat"))
    def state(self, obj):
        return obj.state_label

    @admin.display(description=gettext_lazy("link in de mail"))
    def link(self, obj):
        if not obj.is_usable():
            return "—"
        url = absolute_url(obj.get_absolute_url())
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=gettext_lazy("uit voorstel"))
    def from_pitch(self, obj):
        pitch = Pitch.objects.filter(invitation=obj).first()
        if pitch is None:
            return "—"
        url = reverse("admin:guests_pitch_change", args=[pitch.pk])
        return format_html('<a href="{}">{}</a>', url, pitch)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        invitations.send_invitation(invitation=obj)
        existing = invitations.account_for_email(obj.email)
        if existing is not None:
            messages.info(
                request,
                _("Bij %(email)s hoort al een account (%(user)s); bij het accepteren koppelen "
                  "we de uitnodiging daaraan.") % {"email": obj.email, "user": existing},
            )

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("De uitnodiging gaat per mail naar %(email)s.")
                         % {"email": obj.email})
        return super().response_add(request, obj, post_url_continue)

    def _for_each(self, request, queryset, step, done_message) -> None:
        """Run `step` per invitation; a refusal is a warning, the rest are counted."""
        done = 0
        for invitation in queryset:
            try:
                step(invitation=invitation, actor=request.user)
                done += 1
            except InvitationError as exc:
                messages.warning(request, f"{invitation.email}: {' '.join(exc.messages)}")
        if done:
            messages.success(request, done_message(done) % {"n": done})

    @admin.action(description=gettext_lazy("Opnieuw versturen (een verlopen link wordt weer geldig)"))
    def resend(self, request, queryset):
        self._for_each(request, queryset, invitations.resend_invitation, lambda n: ngettext(
            "%(n)d uitnodiging opnieuw verstuurd.", "%(n)d uitnodigingen opnieuw verstuurd.", n))

    @admin.action(description=gettext_lazy("Intrekken (de link werkt dan niet meer)"))
    def revoke(self, request, queryset):
        self._for_each(request, queryset, invitations.revoke_invitation, lambda n: ngettext(
            "%(n)d uitnodiging ingetrokken.", "%(n)d uitnodigingen ingetrokken.", n))


@admin.register(Pitch)
class PitchAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "subject", "created_at", "status", "decide"]
    list_filter = ["status"]
    search_fields = ["name", "email", "topic", "pitch"]
    list_select_related = ["trend__trend_list"]
    readonly_fields = ["name", "email", "trend", "topic", "pitch", "created_at", "status",
                       "decided_at", "invitation_link"]
    fields = readonly_fields
    actions = ["invite_selected", "decline_selected"]
    change_form_template = "guests/admin/pitch_change_form.html"

    def has_add_permission(self, request):
        return False  # pitches come from /schrijf-mee/

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/uitnodigen/", wrap(self.invite_view), name="guests_pitch_invite"),
            path("afwijzen/", wrap(self.decline_view), name="guests_pitch_decline"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("trend of onderwerp"))
    def subject(self, obj):
        if obj.trend:
            return f"{obj.trend.trend_list.year} · {obj.trend}"
        return obj.topic

    @admin.display(description=gettext_lazy("uitnodiging"))
    def invitation_link(self, obj):
        if not obj.invitation_id:
            return "—"
        url = reverse("admin:guests_invitation_change", args=[obj.invitation_id])
        return format_html('<a href="{}">{}</a>', url, obj.invitation.state_label)

    @admin.display(description=gettext_lazy("besluit"))
    def decide(self, obj):
        if obj.status != Pitch.Status.NEW:
            return obj.get_status_display()
        url = reverse("admin:guests_pitch_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Uitnodigen of afwijzen…"))

    def _decline_url(self, pks):
        return reverse("admin:guests_pitch_decline") + "?ids=" + ",".join(str(pk) for pk in pks)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "invite_url": reverse("admin:guests_pitch_invite", args=[object_id]),
            "decline_url": self._decline_url([object_id]),
            # A pitch is the writer's text: nothing to save, only to decide.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _invite(self, request, pitch) -> bool:
        try:
            invitation = invitations.invite_from_pitch(pitch=pitch, actor=request.user)
        except InvitationError as exc:
            messages.warning(request, f"{pitch.name}: {' '.join(exc.messages)}")
            return False
        messages.success(request, _("%(name)s is uitgenodigd; de mail gaat naar %(email)s.")
                         % {"name": pitch.name, "email": invitation.email})
        return True

    def invite_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        pitch = get_object_or_404(Pitch, pk=pk)
        self._invite(request, pitch)
        return HttpResponseRedirect(reverse("admin:guests_pitch_change", args=[pk]))

    @admin.action(description=gettext_lazy("Uitnodigen (de mail met de link gaat meteen)"))
    def invite_selected(self, request, queryset):
        for pitch in queryset:
            self._invite(request, pitch)

    @admin.action(description=gettext_lazy("Afwijzen met een vriendelijke mail…"))
    def decline_selected(self, request, queryset):
        return HttpResponseRedirect(self._decline_url(queryset.values_list("pk", flat=True)))

    def decline_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids") or ""
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        pitches = list(Pitch.objects.filter(pk__in=ids).select_related("trend__trend_list"))
        undecided = [p for p in pitches if p.status == Pitch.Status.NEW]
        for decided in set(pitches) - set(undecided):
            messages.info(request, _("Over het voorstel van %(name)s is al besloten.")
                          % {"name": decided.name})
        if not undecided:
            return HttpResponseRedirect(reverse("admin:guests_pitch_changelist"))

        def form_for(pitch, data=None):
            subject, body = invitations.decline_mail_draft(pitch)
            return DeclinePitchForm(data, prefix=f"p{pitch.pk}",
                                    initial={"subject": subject, "body": body})

        if request.method == "POST":
            forms = [(p, form_for(p, request.POST)) for p in undecided]
            if all(form.is_valid() for _p, form in forms):
                for pitch, form in forms:
                    try:
                        invitations.decline_pitch(pitch=pitch, actor=request.user,
                                                  **form.cleaned_data)
                    except InvitationError as exc:
                        messages.warning(request, f"{pitch.name}: {' '.join(exc.messages)}")
                        continue
                    messages.success(request, _("Afgewezen; de mail gaat naar %(email)s.")
                                     % {"email": pitch.email})
                return HttpResponseRedirect(reverse("admin:guests_pitch_changelist"))
        else:
            forms = [(p, form_for(p)) for p in undecided]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Voorstellen afwijzen"),
            "forms": forms,
            "ids": ",".join(str(p.pk) for p in undecided),
        }
        return render(request, "guests/admin/pitch_decline.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invitation")
