"""A partial date written in the page's language, at exactly the precision the paper gives."""

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()

MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@register.filter
def date_label(date) -> str:
    """「2016年1月」 on a Chinese page, "Jan 2016" on an English one; never a day or month the paper lacks."""
    if not (get_language() or "").startswith("en"):
        return date.display
    if date.year is not None:
        parts = [str(date.year)]
        if date.month is not None:
            parts.insert(0, MONTHS_EN[date.month - 1])
        if date.day is not None:
            parts.insert(0, str(date.day))
        return " ".join(parts)
    if date.before is not None:
        return gettext("%(year)s年之前") % {"year": date.before}
    return gettext("时间不详")


@register.filter
def precision_label(date) -> str:
    return {
        "day": gettext("精确到日"),
        "month": gettext("仅知年月"),
        "year": gettext("仅知年份"),
        "before": gettext("只知在某年之前"),
        "unknown": gettext("时间不详"),
    }[str(date.precision)]


@register.filter
def period_label(stage) -> str:
    """A stage's years: 「2014—2016年」「2014年之前」「2020—至今」, or "2014–2016", "before 2014", "2020–present"."""
    if not (get_language() or "").startswith("en"):
        return stage.period_display
    if stage.start_year is None and stage.end_year is not None:
        return gettext("%(year)s年之前") % {"year": stage.end_year + 1}
    start = str(stage.start_year) if stage.start_year else "?"
    return f"{start}–{stage.end_year}" if stage.end_year else f"{start}–present"
