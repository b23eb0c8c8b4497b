"""Numerals as summaries write them, read into numbers; what is not a number is None, never an error."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taizhang.extract.numerals import chinese_decimal, chinese_integer, step_of


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百五", 150),
        ("两千零二十", 2020),
        ("三万五", 35000),
        ("十万", 100000),
        ("二十万零三百", 200300),
        ("一亿二千万", 120000000),
        ("一万亿", 10**12),
        ("二〇二〇", 2020),
        ("廿三", 23),
        ("贰拾", 20),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_integer(text) == value


@pytest.mark.parametrize("text", ["五一", "二三十", "百", "万", "三万百", "", "十x"])
def test_what_is_not_a_count_is_none(text):
    """五一 (a holiday) and 二三十 (a range) are not numbers; bare units are not either."""
    assert chinese_integer(text) is None


def test_a_year_is_read_digit_by_digit_when_asked():
    assert chinese_integer("一九四九") is None
    assert chinese_integer("一九四九", positional=True) == 1949


def test_decimals_and_precision():
    assert chinese_decimal("三点五") == Decimal("3.5")
    assert step_of(Decimal(60)) == 10  # 60余 means 60 to 69
    assert step_of(Decimal("157.3"), 10000) == 1000  # 157.3万余 means up to 1573999
    assert step_of(Decimal(4)) == 1
