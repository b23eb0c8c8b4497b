"""Money as Chinese documents write it, kept exact as integer fen (分). Pure Python, no Django.

Amounts are stored as integers of fen so that sums never drift; they are written the way a
summary writes them: ``860元``, ``1.8万元``, ``157.3万元`` (from 1万元 upwards, 万元 with the
trailing zeros dropped, never rounded so the document and the ledger agree to the fen).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000  # 1万元


class MoneyError(ValueError):
    """Text a person typed that is not a non-negative amount of 元; the message says why."""


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_yuan(fen: int) -> str:
    """``1_800_000`` → ``1.8万元``; ``86_000`` → ``860元``; ``86_050`` → ``860.5元``."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amount must be integer fen, got {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    if fen >= FEN_PER_WAN:
        return f"{sign}{_plain(Decimal(fen) / FEN_PER_WAN)}万元"
    return f"{sign}{_plain(Decimal(fen) / FEN_PER_YUAN)}元"


def format_yuan_about(fen: int, *, places: int = 1) -> str:
    """As summaries round down and say so: 157,348万元 → ``157.3万余元``; exact sums stay exact (``54.7万元``).

    Amounts from 1万元 keep ``places`` decimals of 万; smaller ones whole 元. "余" marks a cut, so
    the text never claims more than the ledger holds.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amount must be integer fen, got {type(fen).__name__}")
    if fen < 0:
        raise ValueError("amount must not be negative")
    step = FEN_PER_WAN // 10**places if fen >= FEN_PER_WAN else FEN_PER_YUAN
    kept = fen - fen % step
    suffix = "余元" if kept != fen else "元"
    if fen >= FEN_PER_WAN:
        return f"{_plain(Decimal(kept) / FEN_PER_WAN)}万{suffix}"
    return f"{_plain(Decimal(kept) / FEN_PER_YUAN)}{suffix}"


def parse_yuan(text: str | int | Decimal) -> int:
    """Read an amount in 元 (``18000``, ``1,573,000.50``, ``157.3万``) into fen; refuse anything else."""
    raw = str(text).strip().replace(",", "").replace("，", "")
    if raw.endswith("元"):
        raw = raw[:-1]
    scale = Decimal(FEN_PER_YUAN)
    if raw.endswith("万"):
        raw, scale = raw[:-1], Decimal(FEN_PER_WAN)
    if not raw:
        raise MoneyError("请填写金额。")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise MoneyError(f"金额“{text}”不是数字。") from None
    if not value.is_finite():
        raise MoneyError(f"金额“{text}”不是数字。")
    if value < 0:
        raise MoneyError(f"金额不能为负数：{text}。")
    fen = value * scale
    if fen != fen.to_integral_value():
        raise MoneyError(f"金额“{text}”精确到分以下，请检查。")
    return int(fen)
