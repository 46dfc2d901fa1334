from django.contrib import admin

from sources.admin import CitationInline

from .models import Jurisdiction, Region, Stage


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "slug"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["parent"]
    inlines = [CitationInline]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["name", "slug", "start_year", "end_year", "order"]
    show_change_link = True


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "slug"]
    list_filter = ["kind", "parent"]
    search_fields = ["name", "full_name", "slug", "description"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["parent"]
    inlines = [StageInline, CitationInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "start_year", "end_year", "order"]
    list_filter = ["region"]
    search_fields = ["name", "name_en", "summary"]
    inlines = [CitationInline]
