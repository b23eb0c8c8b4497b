"""Period arithmetic: parsing what clerks type, and the facts the engine relies on."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.core.periods import KINDS, YEARS, Period, PeriodError, parse_day

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
kinds = st.sampled_from(KINDS)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31), "2020年"),
        ("2020H1", date(2020, 1, 1), date(2020, 6, 30), "2020年上半年"),
        ("2020h2", date(2020, 7, 1), date(2020, 12, 31), "2020年下半年"),
        ("2020Q3", date(2020, 7, 1), date(2020, 9, 30), "2020年第三季度"),
        ("2020-05", date(2020, 5, 1), date(2020, 5, 31), "2020年5月"),
        ("2020-2", date(2020, 2, 1), date(2020, 2, 29), "2020年2月"),
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "2021年2月"),
    ],
)
def test_parse_gives_the_calendar_range_and_the_chinese_label(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text", ["2020H3", "2020Q5", "2020-13", "2020-00", "20", "二〇二〇", "2020H", "", "2020 H1"]
)
def test_malformed_codes_are_refused_with_a_chinese_message(text):
    with pytest.raises(PeriodError) as err:
        Period.parse(text)
    assert "期间" in str(err.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2020-02-30", "格式不正确"),
        ("2020/02/18", "格式不正确"),
        ("9999-12-31", "超出范围"),
        ("0001-01-01", "超出范围"),
    ],
)
def test_a_day_that_is_malformed_or_out_of_range_is_refused_naming_the_field(text, problem):
    with pytest.raises(PeriodError) as err:
        parse_day(text, label="核查日期（as_of）")
    assert str(err.value).startswith(f"核查日期（as_of）{problem}：“{text}”")


def test_the_days_accepted_are_those_of_the_years_a_period_may_have():
    assert parse_day("1900-01-01") == date(1900, 1, 1) == Period(YEARS.start, "year").start
    assert parse_day(" 9998-12-31 ") == date(9998, 12, 31) == Period(YEARS.stop - 1, "year").end


@given(days, kinds)
def test_the_period_containing_a_day_contains_it(day, kind):
    period = Period.containing(kind, day)
    assert period.contains(day)
    assert Period.parse(period.code) == period


@given(days, kinds)
def test_consecutive_periods_tile_the_calendar(day, kind):
    period = Period.containing(kind, day)
    assert period.next().start == period.end + timedelta(days=1)
    assert period.previous().end == period.start - timedelta(days=1)
    assert period.next().previous() == period


@given(days, kinds, kinds)
def test_splitting_covers_the_period_exactly_once(day, outer_kind, inner_kind):
    outer = Period.containing(outer_kind, day)
    order = {"year": 4, "half": 3, "quarter": 2, "month": 1}
    if order[inner_kind] > order[outer_kind]:
        with pytest.raises(PeriodError):
            outer.split(inner_kind)
        return
    parts = outer.split(inner_kind)
    assert parts[0].start == outer.start and parts[-1].end == outer.end
    assert sum(part.days for part in parts) == outer.days
    assert all(a.next() == b for a, b in itertools.pairwise(parts))


@given(days, kinds, days)
def test_elapsed_fraction_grows_from_zero_to_one(day, kind, as_of):
    period = Period.containing(kind, day)
    fraction = period.elapsed_fraction(as_of)
    assert 0.0 <= fraction <= 1.0
    if as_of < period.start:
        assert fraction == 0.0
    elif as_of >= period.end:
        assert fraction == 1.0
    else:
        assert 0.0 < fraction < 1.0
        assert period.elapsed_fraction(as_of + timedelta(days=1)) >= fraction
