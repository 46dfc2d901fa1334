"""Partial dates keep the precision the papers give (fixtures/README.md)."""

import pytest

from records.dates import PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "display", "edtf", "precision"),
    [
        ("2016-01", "2016年1月", "2016-01", "month"),
        ("2017", "2017年", "2017", "year"),
        ("before:2014", "2014年之前", None, "before"),
        ("2016-01-25", "2016年1月25日", "2016-01-25", "day"),
        (None, "时间不详", None, "unknown"),
    ],
)
def test_a_partial_date_displays_only_the_precision_it_has(text, display, edtf, precision):
    date = PartialDate.parse(text)
    assert date.display == display
    assert date.edtf == edtf
    assert date.precision == precision
    assert date.fixture_form == text


def test_a_year_alone_gets_no_invented_month_or_day():
    date = PartialDate.parse("2017")
    assert (date.month, date.day) == (None, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2016-13", "month 13"),
        ("2015-02-29", "no day 29"),
        ("2016/01", "not a date"),
        ("2016年1月", "not a date"),
        ("before:20", "not a date"),
        ("1066", "outside"),
    ],
)
def test_malformed_dates_are_refused_with_the_reason(text, problem):
    with pytest.raises(PartialDateError, match=problem):
        PartialDate.parse(text)


def test_a_day_without_a_month_is_refused():
    with pytest.raises(PartialDateError, match="a day needs a month"):
        PartialDate(year=2016, day=3)


def test_a_before_bound_cannot_also_have_a_year():
    with pytest.raises(PartialDateError, match="not both"):
        PartialDate(year=2013, before=2014)


def test_a_before_bound_latest_year_is_the_year_before():
    assert PartialDate.parse("before:2014").latest_year == 2013
