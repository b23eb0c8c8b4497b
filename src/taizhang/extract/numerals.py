"""Numbers as Chinese documents write them: 4, 18000, 157.3万, 三, 十二, 两千零二十, 二〇二〇 (pure).

cn2an reads a well-formed numeral, but a summary writes 十余、157.3万余、二十多: the qualifier sits
inside the number. The scanner splits those off; what is left comes here. Every function returns
None for text that is not a number it can read, and never raises.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
TENS = {"廿": 20, "卅": 30}
# Every character a Chinese numeral is written with (the scanner's character class).
CHINESE_NUMERAL_CHARS = "".join([*DIGITS, *SMALL_UNITS, *BIG_UNITS, *TENS])
# A numeral written digit by digit (二〇二〇) only with these: 二三 alone is "two or three", not 23.
_POSITIONAL_MARKS = "〇零"


def chinese_integer(text: str, *, positional: bool = False) -> int | None:
    """``十二`` → 12, ``两千零二十`` → 2020, ``三万五`` → 35000, ``二〇二〇`` → 2020; else None.

    A run of bare digits (``二〇二〇``, ``一九四九``) is read digit by digit when it holds a 〇/零 or
    when ``positional`` (a year before 年); otherwise ``五一`` or ``二三`` is not a number.
    """
    if not text:
        return None
    if all(ch in DIGITS for ch in text):
        if len(text) == 1:
            return DIGITS[text]
        if not positional and not any(ch in _POSITIONAL_MARKS for ch in text):
            return None
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    result = 0  # completed 万/亿 sections
    section = 0  # the current section below 万
    digit: int | None = None
    last_unit = 1  # the last unit written, for a trailing digit said without its unit (三万五)
    zero = False  # a 零 since the last unit: the next digit is units (一百零五)
    big_seen = 0
    has_digit = False
    for ch in text:
        if ch in DIGITS:
            value = DIGITS[ch]
            if value == 0:
                if digit is not None:
                    return None
                zero = True
                continue
            if digit is not None:
                return None  # two digits in a row: 二三十 (a range), not a number
            digit = value
            has_digit = True
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if digit is None and (section or result) and unit != 10:
                return None  # 百 without a digit after a number (三万百)
            section += (1 if digit is None else digit) * unit
            has_digit = has_digit or unit == 10  # 十 alone is ten
            digit, last_unit, zero = None, unit, False
        elif ch in TENS:
            if digit is not None:
                return None
            section += TENS[ch]
            has_digit, last_unit, zero = True, 10, False
        elif ch in BIG_UNITS:
            big = BIG_UNITS[ch]
            section += digit or 0
            if section == 0 and result == 0:
                return None  # 万 alone
            if big == 10**8 or big_seen != 10**8:
                result = (result + section) * big
            else:  # 一亿二千万: the 万 section below an 亿
                result += section * big
            big_seen = max(big_seen, big)
            section, digit, last_unit, zero = 0, None, big, False
        else:
            return None
    if not has_digit:
        return None
    if digit is not None:
        if not zero and last_unit >= 100:
            digit *= last_unit // 10  # 一百五 → 150, 三万五 → 35000
        section += digit
    return result + section


def chinese_decimal(text: str) -> Decimal | None:
    """``三点五`` → 3.5, ``十二`` → 12 (as Decimal); None when it is not a number."""
    whole, dot, frac = text.partition("点")
    integer = chinese_integer(whole)
    if integer is None:
        return None
    if not dot:
        return Decimal(integer)
    if not frac or any(ch not in DIGITS for ch in frac):
        return None
    return Decimal(f"{integer}.{''.join(str(DIGITS[ch]) for ch in frac)}")


def arabic_decimal(text: str) -> Decimal | None:
    """``18,000`` → 18000, ``157.3`` → 157.3; None for anything else."""
    try:
        value = Decimal(text.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def multiplier(text: str) -> int:
    """``万`` → 10000, ``千万`` → 10**7, ``十`` → 10 (what follows an Arabic number: 3千, 1.5亿)."""
    factor = 1
    for ch in text:
        factor *= SMALL_UNITS.get(ch) or BIG_UNITS.get(ch) or 1
    return factor


def step_of(written: Decimal, factor: int = 1) -> Decimal:
    """One step of the precision a number is written in: 60 → 10, 157.3(万) → 1000, 4 → 1.

    ``60余`` means 60 to 69, ``约60`` about 50 to 70: qualifiers are read against this step.
    """
    written = written.normalize() if written else Decimal(0)
    exponent = written.as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal(factor)
    return Decimal(10) ** exponent * factor


def plain(value: Decimal) -> int | float:
    """A Decimal as JSON writes it: an int when whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
