"""Template filters the record pages share: quotes as a reader should see them, dates in the page's language."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from records.links import slug_url

register = template.Library()

# CJK ideographs and CJK/full-width punctuation: the PDF extraction of the papers breaks lines
# inside words (「数据标准不 统一」); a space between two such characters is never the paper's own.
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
# Digits too: 「2016 年 1 月」 is the extraction's spacing of 「2016年1月」. Spaces between Latin words stay.
_STRAY_SPACE = re.compile(rf"(?<={_CJK})\s+(?={_CJK}|\d)|(?<=\d)\s+(?={_CJK})")

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@register.filter
def reading_text(quote: str) -> str:
    """A stored (verbatim) quote for display: the extraction's spaces between Chinese characters removed."""
    return _STRAY_SPACE.sub("", quote or "")


def date_text(date, language: str | None = None) -> str:
    """A partial date in the page's language, to exactly its precision (never a day or month it lacks)."""
    language = language or get_language() or ""
    if not language.startswith("en"):
        return date.display
    if date.year is not None:
        if date.day is not None:
            return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
        if date.month is not None:
            return f"{MONTHS[date.month - 1]} {date.year}"
        return str(date.year)
    if date.before is not None:
        return gettext("before %(year)s") % {"year": date.before}
    return gettext("date unknown")


register.filter("date_text", date_text)


@register.filter
def period_text(stage) -> str:
    """A stage's years in the page's language (Stage.period_display is the Chinese form)."""
    if not (get_language() or "").startswith("en"):
        return stage.period_display
    if stage.start_year is None and stage.end_year is not None:
        return gettext("before %(year)s") % {"year": stage.end_year + 1}
    start = str(stage.start_year) if stage.start_year else "?"
    end = str(stage.end_year) if stage.end_year else gettext("present")
    return f"{start}–{end}"


@register.filter
def date_html(date) -> str:
    """<time> for a partial date: its precision as a class, its EDTF form when it has one.

    A filter rather than an include: a list page writes one per row, and an include costs a
    template render each.
    """
    attr = f' datetime="{date.edtf}"' if date.edtf else ""
    return format_html('<time class="date date-{}"{}>{}</time>', str(date.precision), mark_safe(attr), date_text(date))


@register.filter
def region_badges(regions) -> str:
    """Links to a record's regions ({slug, name} dicts or Region objects) as badges."""
    return format_html_join(
        "", '<a class="badge" href="{}">{}</a>',
        ((slug_url("regions:detail", r["slug"] if isinstance(r, dict) else r.slug), r["name"] if isinstance(r, dict) else r.name) for r in regions),
    )


@register.filter
def span_html(record) -> str:
    """A record's date, and its end date when it spans a period (an event: 「2019年5月至2020年10月」)."""
    html = date_html(record.date)
    end = getattr(record, "end_date", None)
    if end is not None and end.year is not None:
        html = format_html("{}{}{}", html, gettext("至"), date_html(end))
    return html
