"""Simplified → traditional script with OpenCC (s2t), applied to the finished document text.

Documents are written once in simplified Chinese; the CPPCC seed's readers expect traditional
script, so conversion happens last, over every visible string, never in the phrasings themselves.
"""

from __future__ import annotations

from functools import lru_cache

from taizhang.documents.model import Document

SCRIPTS = ("simplified", "traditional")


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # the official binding; loading its dictionaries costs ~50 ms, so once per process

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def in_script(doc: Document, script: str) -> Document:
    if script == "traditional":
        return doc.map_text(to_traditional)
    return doc
