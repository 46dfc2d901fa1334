from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import Citation, Reference, Source


class CitationInline(GenericTabularInline):
    """Citations edited on the record they support, so no record is curated without its source."""

    model = Citation
    extra = 0
    fields = ["source", "locator", "quote", "cites", "order"]
    autocomplete_fields = ["source", "cites"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    fk_name = "citing"
    extra = 0
    autocomplete_fields = ["cited"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "container", "year", "slug"]
    list_filter = ["kind", "medium", "year"]
    search_fields = ["title", "slug", "container", "authors"]
    inlines = [ReferenceInline, CitationInline]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["citing", "number", "cited"]
    list_filter = ["citing"]
    search_fields = ["cited__title"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["source", "locator", "quote", "content_type", "object_id"]
    list_filter = ["source", "content_type"]
    search_fields = ["quote", "locator"]
    autocomplete_fields = ["source", "cites"]
