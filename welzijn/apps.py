from django.contrib.admin.apps import AdminConfig


class WelzijnAdminConfig(AdminConfig):
    """The editor's admin at /beheer/: Django's admin with the editor's dashboard."""

    default_site = "welzijn.admin_site.EditorAdminSite"
