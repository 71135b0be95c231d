"""The editor's admin site at /beheer/ (issue 4 adds the dashboard)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class EditorAdminSite(admin.AdminSite):
    site_header = _("Welzijn — redactie")
    site_title = _("Welzijn redactie")
    index_title = _("Wat er te doen is")
