"""Users and their author profiles. Editors are staff; guest authors never are.

The profile photo goes through the image pipeline here too: the upload is checked, cleaned
of EXIF (GPS) and stored as renditions; the original is never kept.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import AuthorProfile, User
from accounts.profiles import PHOTO_FOLDER
from core.images import delete_stored
from core.uploads import StoredImagesMixin, UploadedImageField


class AuthorProfileAdminForm(StoredImagesMixin, forms.ModelForm):
    photo_upload = UploadedImageField(folder=PHOTO_FOLDER, required=False, label=_("Nieuwe foto"))
    remove_photo = forms.BooleanField(required=False, label=_("Foto verwijderen"))
    website = forms.URLField(label=_("website"), required=False, max_length=300,
                             assume_scheme="https")

    class Meta:
        model = AuthorProfile
        fields = ["display_name", "slug", "bio", "organisation", "role", "website", "linkedin",
                  "twitter"]

    def save(self, commit=True):
        profile = super().save(commit=False)
        stored = self.cleaned_data.get("photo_upload")
        old = dict(profile.photo_renditions or {})
        if stored is not None:
            profile.photo.name, profile.photo_renditions = stored.name, stored.renditions
        elif self.cleaned_data.get("remove_photo"):
            profile.photo.name, profile.photo_renditions = "", {}
        if old and (stored is not None or self.cleaned_data.get("remove_photo")):
            transaction.on_commit(lambda: delete_stored(old))
        if commit:
            profile.save()
        return profile


class AuthorProfileInline(admin.StackedInline):
    model = AuthorProfile
    form = AuthorProfileAdminForm
    can_delete = False
    readonly_fields = ["current_photo"]
    fields = ["display_name", "slug", "current_photo", "photo_upload", "remove_photo", "bio",
              "organisation", "role", "website", "linkedin", "twitter"]

    @admin.display(description=_("huidige foto"))
    def current_photo(self, obj):
        if not obj or not obj.photo:
            return "—"
        return format_html('<img src="{}" alt="" width="96" height="96">', obj.photo_url(400))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [AuthorProfileInline]
    list_display = ["username", "email", "name", "role", "last_login", "is_active"]
    list_filter = ["is_staff", "is_active"]
    list_select_related = ["profile"]
    search_fields = ["username", "email", "first_name", "last_name", "profile__display_name"]

    def get_readonly_fields(self, request, obj=None):
        # Editors keep the team and the guests' profiles; only a superuser hands out rights.
        fixed = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fixed += ["is_superuser", "groups", "user_permissions"]
        return fixed

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("naam"))
    def name(self, obj):
        return obj.display_name

    @admin.display(description=_("rol"), ordering="is_staff")
    def role(self, obj):
        return _("Redactie") if obj.is_staff else _("Gastauteur")
