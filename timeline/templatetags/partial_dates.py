"""A partial date written in the page's language, at exactly the precision the paper gives."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from records.templatetags.pages import region_badges

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


@register.filter
def timeline_entry(e) -> str:
    """One entry of the timeline's list (timeline/entries.py ``Entry``) as its ``<li>``.

    Written here rather than as an included template: a page lists up to a hundred entries, and
    Django's template engine spent about 0.3 ms on each include (issue 14, "Load and scale"). The
    markup is what timeline/entry.html wrote.
    """
    date = e.date
    edtf = date.edtf
    label = date_label(date) + (f"—{date_label(e.end_date)}" if e.end_date else "")
    return format_html(
        '<li class="entry entry-{type} precision-{precision}">\n'
        '  <time class="date date-{precision}"{datetime} title="{title}">{label}</time>\n'
        '  <span class="type type-{type}">{kind}</span>\n'
        '  <a href="{url}">{text}</a>\n'
        '  <span class="regions">{regions}</span>\n'
        "</li>\n",
        type=e.type,
        precision=e.precision,
        datetime=format_html(' datetime="{}"', edtf) if edtf else "",
        title=precision_label(date),
        label=label,
        kind=gettext("文件") if e.type == "agreement" else gettext("事件"),
        url=e.url,
        text=e.title,
        regions=region_badges(e.regions),
    )
