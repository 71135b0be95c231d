from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrendsConfig(AppConfig):
    name = "trends"
    verbose_name = _("Trends")

    def ready(self):
        from core import pagecache
        from trends.models import Trend, TrendList

        pagecache.watch(TrendList, Trend)
