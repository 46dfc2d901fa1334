from django.contrib import admin

from sources.admin import CitationInline

from .models import Mechanism


class PartInline(admin.TabularInline):
    model = Mechanism
    fk_name = "parent"
    extra = 0
    fields = ["order", "name", "slug", "category"]
    show_change_link = True


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "parent", "date_display", "slug"]
    list_filter = ["category", "regions", "date_year"]
    search_fields = ["name", "description", "slug", "established_by_text"]
    filter_horizontal = ["regions"]
    autocomplete_fields = ["established_by", "parent"]
    inlines = [PartInline, CitationInline]

    @admin.display(description="建立时间", ordering="date_year")
    def date_display(self, obj):
        return obj.date.display
