from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Mensen")

    def ready(self):
        from accounts.models import AuthorProfile, User
        from core import pagecache

        # Names and profiles show on public pages; a login only stamps `last_login`.
        pagecache.watch(AuthorProfile)
        pagecache.watch(User, when=lambda user, created, update_fields, **kw: not created
                        and set(update_fields or ["*"]) != {"last_login"})
