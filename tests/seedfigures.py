"""The seed's practice figures, read from the CPPCC seed text (traditional script) rather than copied."""

from __future__ import annotations

import re
from decimal import Decimal


def cppcc_seed(seed_texts: dict[str, str]) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith("000_"))


def figures(text: str) -> dict[str, Decimal]:
    def find(pattern: str) -> Decimal:
        match = re.search(pattern, text)
        assert match, pattern
        return Decimal(match.group(1))

    return {
        "gejie_issues": find(r"《各界反映》(\d+)期"),
        "research_issues": find(r"《政協調研》(\d+)期"),
        "articles_more_than": find(r"宣傳稿件(\d+)餘篇"),
        "staff_yuan_more_than": find(r"捐款捐物(\d+)餘元"),
        "members_wan_more_than": find(r"累計捐款([\d.]+)萬餘元"),
        "goods_wan": find(r"捐助([\d.]+)萬元物資"),
        "masks": find(r"口罩(\d+)個"),
    }
