from django.contrib import admin

from trends.models import Trend, TrendList


class TrendInline(admin.TabularInline):
    model = Trend
    extra = 0


@admin.register(TrendList)
class TrendListAdmin(admin.ModelAdmin):
    inlines = [TrendInline]
