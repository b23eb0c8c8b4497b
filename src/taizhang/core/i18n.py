"""Language helpers shared by the pages and the documents."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.translation import get_language, override


def in_chinese(func):
    """Run ``func`` with Chinese active, whatever language the page is shown in.

    The summary, the bulletin and every other document are official Chinese texts: a label that a
    model or a service translates (a level's name, a status) must not come out in English because the
    clerk reads the pages in English. A fresh ``override`` per call: one shared instance would keep the
    outer language in its own attribute, wrong when calls nest or run in two threads at once.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        with override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


def localized(chinese: str, english: str = "") -> str:
    """A name kept in the framework data in both languages (an area, an activity kind, a
    requirement): the English one on an English page when it has one, else the Chinese. Documents
    are built under ``in_chinese`` and so always get the Chinese."""
    if english and in_english():
        return english
    return chinese


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def money_on_page(fen: int) -> str:
    """An amount as a page in its language writes it: 2360元, 157.3万元 (as the documents do); in
    English CNY 2,360 or CNY 1,573,000.50 (万 is not an English unit)."""
    from taizhang.core.money import format_yuan

    if not in_english():
        return format_yuan(fen)
    yuan = f"{abs(fen) / 100:,.2f}".removesuffix(".00")
    return f"{'-' if fen < 0 else ''}CNY {yuan}"
