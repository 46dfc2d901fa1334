from django.contrib import admin

from sources.admin import CitationInline

from .models import Figure, Finding


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "kind", "dimension", "order"]
    list_filter = ["source", "kind", "dimension"]
    search_fields = ["title", "text", "slug"]
    filter_horizontal = ["regions", "addresses"]
    autocomplete_fields = ["parent"]
    inlines = [CitationInline]


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "year", "slug"]
    list_filter = ["region", "year", "unit"]
    search_fields = ["counts", "unit", "slug"]
    inlines = [CitationInline]
