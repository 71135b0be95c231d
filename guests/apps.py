from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuestsConfig(AppConfig):
    name = "guests"
    verbose_name = _("Gastauteurs")

    def ready(self):
        from guests import notifications  # noqa: F401  (connects the author's mails)
