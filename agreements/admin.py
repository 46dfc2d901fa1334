from django.contrib import admin

from sources.admin import CitationInline

from .models import Agreement, AgreementAlias


class AliasInline(admin.TabularInline):
    model = AgreementAlias
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "date_display", "slug"]
    list_filter = ["kind", "regions", "date_year", "untitled"]
    search_fields = ["title", "aliases__name", "summary", "slug"]
    filter_horizontal = ["signatories", "regions", "implements"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "untitled", "kind", "summary"]}),
        ("日期（只填论文给出的精度）", {"fields": ["date_year", "date_month", "date_day", "date_before"]}),
        ("签署方与区域", {"fields": ["signatories_text", "signatories", "signatories_note", "regions", "implements"]}),
    ]
    inlines = [AliasInline, CitationInline]

    @admin.display(description="日期", ordering="date_year")
    def date_display(self, obj):
        return obj.date.display


@admin.register(AgreementAlias)
class AgreementAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement"]
    search_fields = ["name", "agreement__title"]
    autocomplete_fields = ["agreement"]
