from django.contrib import admin

from sources.admin import CitationInline

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date_display", "slug"]
    list_filter = ["regions", "date_year"]
    search_fields = ["title", "description", "slug"]
    filter_horizontal = ["regions", "agreements", "mechanisms"]
    inlines = [CitationInline]

    @admin.display(description="日期", ordering="date_year")
    def date_display(self, obj):
        return obj.date_display
