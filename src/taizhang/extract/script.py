"""One script to match in, positions kept: traditional text is converted to simplified (pure).

The vocabulary is written once, in simplified script; a traditional draft (the CPPCC seed) is
converted with OpenCC before it is matched. A figure's position must still point into the text the
clerk wrote, so the conversion keeps every character where it was: OpenCC's conversion of this
genre keeps the length, and where it would not (a phrase converted to a different length, a
character OpenCC cannot take) the text is converted line by line, then character by character.
Full-width digits and signs become ASCII, again one character for one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# hk2s: traditional (including the Hong Kong and Taiwan variant forms such as 衞, 羣) to simplified.
CONFIG = "hk2s"
_WIDE = "０１２３４５６７８９％．"
_NARROW = "0123456789%."
_ANY_WIDE = re.compile(f"[{_WIDE}]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(CONFIG)


def _convert(text: str) -> str | None:
    try:
        out = _converter().convert(text)
    except (UnicodeError, ValueError, RuntimeError):
        return None
    return out if len(out) == len(text) else None


def simplified(text: str) -> str:
    """``text`` in simplified script, of the same length, each character where it was."""
    whole = _convert(text)
    if whole is None:
        parts = []
        for line in text.splitlines(keepends=True):
            converted = _convert(line)
            if converted is None:
                converted = "".join(_convert(ch) or ch for ch in line)
            parts.append(converted)
        whole = "".join(parts)
    if _ANY_WIDE.search(whole):  # rare: str.translate over a whole Chinese text is slow
        for wide, narrow in zip(_WIDE, _NARROW, strict=True):
            whole = whole.replace(wide, narrow)
    return whole
