"""Money as documents write it, exact to the fen."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.core.money import MoneyError, format_yuan, format_yuan_about, parse_yuan


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (157_300_000, "157.3万元"),
        (15_730_000, "15.73万元"),
        (1_800_000, "1.8万元"),
        (54_700_000, "54.7万元"),
        (1_000_000, "1万元"),
        (86_000, "860元"),
        (86_050, "860.5元"),
        (1, "0.01元"),
        (0, "0元"),
        (999_999, "9999.99元"),
    ],
)
def test_amounts_read_as_a_chinese_summary_writes_them(fen, text):
    assert format_yuan(fen) == text


def test_floats_are_refused_loudly():
    with pytest.raises(TypeError):
        format_yuan(1.5)


@given(st.integers(min_value=0, max_value=10**15))
def test_formatting_then_reading_gives_back_the_same_fen(fen):
    assert parse_yuan(format_yuan(fen)) == fen


@given(st.integers(min_value=0, max_value=10**12))
def test_wan_is_used_from_ten_thousand_yuan_up(fen):
    text = format_yuan(fen)
    assert text.endswith("万元") == (fen >= 1_000_000)
    assert "e" not in text.lower() and not text.startswith(".")


@pytest.mark.parametrize(
    ("text", "fen"),
    [("18000", 1_800_000), ("1,573,000.50", 157_300_050), ("157.3万", 157_300_000), ("860元", 86_000)],
)
def test_typed_amounts_are_read_exactly(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["-5", "abc", "", "1.001", "nan", "inf", "十元"])
def test_bad_amounts_are_refused_with_a_message(text):
    with pytest.raises(MoneyError) as info:
        parse_yuan(text)
    assert "金额" in str(info.value)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (157_348_000, "157.3万余元"),
        (1_836_000, "1.8万余元"),
        (54_700_000, "54.7万元"),
        (86_050, "860余元"),
        (86_000, "860元"),
    ],
)
def test_about_amounts_round_down_and_say_so(fen, text):
    assert format_yuan_about(fen) == text


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=4))
def test_an_about_amount_never_claims_more_than_the_ledger(fen, places):
    text = format_yuan_about(fen, places=places)
    shown = parse_yuan(text.replace("余", ""))
    assert shown <= fen
    assert ("余" in text) == (shown != fen)
