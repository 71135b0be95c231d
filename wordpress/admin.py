"""WordPress import admin: the import page, old permalinks (editable), and what each import
brought in (read only)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from blog.models import Post
from wordpress import imports
from wordpress.models import LegacyRedirect, WordPressItem, WxrImport

# A running import whose row has not moved for this long: the task worker may be down.
STALLED_MINUTES = 10


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "target_title", "created_at"]
    search_fields = ["old_path", "post__title", "page__title", "tag__name"]
    raw_id_fields = ["post", "page", "tag", "author"]
    list_select_related = ["post", "page", "tag", "author"]
    date_hierarchy = "created_at"

    @admin.display(description=_("leidt naar"))
    def target_title(self, obj):
        return obj.target


@admin.register(WordPressItem)
class WordPressItemAdmin(admin.ModelAdmin):
    """The import's memory: which WordPress item became what. Changing it would make the
    next run of the same export bring things in twice, so it is shown, not edited."""

    list_display = ["key", "kind", "title", "site", "target", "imported_at"]
    list_filter = ["kind", "site"]
    search_fields = ["key", "title", "guid", "url"]
    list_select_related = ["post", "page", "image", "comment", "user"]
    readonly_fields = [field.name for field in WordPressItem._meta.fields]

    @admin.display(description=_("werd"))
    def target(self, obj):
        return obj.post or obj.page or obj.image or obj.comment or obj.user or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def progress_text(wxr_import: WxrImport) -> str:
    if not wxr_import.total:
        return wxr_import.phase
    return _("%(done)s van %(total)s items · %(phase)s") % {
        "done": wxr_import.done, "total": wxr_import.total, "phase": wxr_import.phase}


class WxrUploadForm(forms.Form):
    wxr_file = forms.FileField(
        label=_("WordPress-export (WXR-bestand)"),
        help_text=_("In WordPress: Extra → Exporteren → Alle inhoud. Een .xml- of .wxr-bestand."),
    )
    media_zip = forms.FileField(
        label=_("Zip van wp-content/uploads (mag leeg blijven)"), required=False,
        help_text=_("Voor de afbeeldingen: pak de map wp-content/uploads van de oude site in."),
    )

    def clean_wxr_file(self):
        upload = self.cleaned_data["wxr_file"]
        imports.check_wxr(upload)
        return upload

    def clean_media_zip(self):
        upload = self.cleaned_data.get("media_zip")
        if upload:
            imports.check_media(upload)
        return upload


@admin.register(WxrImport)
class WxrImportAdmin(admin.ModelAdmin):
    """Importeren uit WordPress: upload, dry run (the report), then the import, all as tasks."""

    list_display = ["__str__", "state", "started_by", "created_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["started_by"]

    def get_urls(self):
        return [
            path("<int:pk>/voortgang/", self.admin_site.admin_view(self.progress_view),
                 name="wordpress_wxrimport_progress"),
            path("<int:pk>/importeren/", self.admin_site.admin_view(self.confirm_view),
                 name="wordpress_wxrimport_confirm"),
        ] + super().get_urls()

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WxrUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            wxr_import = imports.start(wxr_upload=form.cleaned_data["wxr_file"],
                                       media_upload=form.cleaned_data.get("media_zip"),
                                       user=request.user)
            messages.success(request, _("Het bestand is ontvangen; de proefrun loopt."))
            return redirect("admin:wordpress_wxrimport_change", wxr_import.pk)
        if request.method == "POST" and form.errors:
            messages.error(request, _("Het bestand is niet aangenomen; zie de melding bij het "
                                      "veld en kies het bestand opnieuw."))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importeren uit WordPress"),
            "opts": self.opts,
            "form": form,
            "max_mb": settings.WORDPRESS_IMPORT_MAX_MB,
            "site_has_posts": Post.objects.exists(),
        }
        return TemplateResponse(request, "admin/wordpress/wxrimport/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        wxr_import = get_object_or_404(WxrImport, pk=object_id)
        if not self.has_view_permission(request, wxr_import):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import van %(name)s") % {"name": wxr_import},
            "opts": self.opts,
            "original": wxr_import,
            "wxr_import": wxr_import,
            "stalled": wxr_import.running and wxr_import.updated_at
            < timezone.now() - timedelta(minutes=STALLED_MINUTES),
            "stalled_minutes": STALLED_MINUTES,
            "progress_text": progress_text(wxr_import),
        }
        response = TemplateResponse(request, "admin/wordpress/wxrimport/status.html", context)
        add_never_cache_headers(response)
        return response

    def progress_view(self, request, pk):
        """The progress of the running task, for the bar (polled; any node can answer)."""
        wxr_import = get_object_or_404(WxrImport, pk=pk)
        response = JsonResponse({
            "state": wxr_import.state, "running": wxr_import.running,
            "done": wxr_import.done, "total": wxr_import.total, "percent": wxr_import.percent,
            "phase": wxr_import.phase, "text": progress_text(wxr_import),
        })
        add_never_cache_headers(response)
        return response

    def confirm_view(self, request, pk):
        if request.method != "POST":
            return redirect("admin:wordpress_wxrimport_change", pk)
        wxr_import = get_object_or_404(WxrImport, pk=pk)
        if not self.has_change_permission(request, wxr_import):
            raise PermissionDenied
        if imports.confirm(wxr_import=wxr_import):
            messages.success(request, _("De import is gestart; je kunt deze pagina gerust "
                                        "verlaten of herladen."))
        else:
            messages.warning(request, _("Deze import loopt al of is al klaar."))
        return redirect("admin:wordpress_wxrimport_change", pk)

    def delete_model(self, request, obj):
        imports.remove(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            imports.remove(obj)
