"""WordPress import admin: old permalinks (editable) and what each import brought in (read only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wordpress.models import LegacyRedirect, WordPressItem


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "target_title", "created_at"]
    search_fields = ["old_path", "post__title", "page__title"]
    raw_id_fields = ["post", "page"]
    list_select_related = ["post", "page"]
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
