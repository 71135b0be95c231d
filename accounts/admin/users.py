from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AuthorProfile, User


class AuthorProfileInline(admin.StackedInline):
    model = AuthorProfile
    can_delete = False
    exclude = ["photo_renditions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [AuthorProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff"]
