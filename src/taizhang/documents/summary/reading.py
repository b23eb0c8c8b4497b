"""Reading summaries side by side, as a county's publicity department does (pure).

Measures the tests and ``bench/voice.py`` share: the Chinese characters of a document, its
sentences with the digits set aside (two units' "开展…4次" and "开展…12次" are one sentence to a
reader), the sentences that stand in more than a few of a set of documents, the section headings,
and how much of one document another repeats.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from taizhang.documents.output.model import Document

HAN = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"(?<=[。！？；])")


def chinese(text: str) -> int:
    return len(HAN.findall(text))


def body(doc: Document) -> list[str]:
    """The paragraphs a reader reads: not the title, headings or signature."""
    return [b.text for b in doc.blocks if not b.level]


def sentences(doc: Document, min_chinese: int = 12) -> list[str]:
    """The body's sentences with digits set aside, those of at least ``min_chinese`` characters."""
    out = []
    for paragraph in body(doc):
        for sentence in SENTENCE_END.split(paragraph):
            shape = re.sub(r"[0-9０-９]+(\.[0-9]+)?", "", sentence).strip()
            shape = re.sub(r"^[一二三四五六七八九十]+是[^。]{0,8}。", "", shape)  # a point's label
            if chinese(shape) >= min_chinese:
                out.append(shape)
    return out


def headings(doc: Document) -> list[str]:
    """The section headings without their numbers, 存在的问题 and 下一步打算 left out."""
    out = []
    for b in doc.blocks:
        if b.level == 1 and not b.section:
            out.append(re.sub(r"^[一二三四五六七八九十]+、", "", b.text))
    return out


def shared(docs: dict[str, Document], at_most: int = 3, stock: Iterable[str] = ()) -> dict[str, list[str]]:
    """Sentences standing in more than ``at_most`` of ``docs`` (stock sentences aside), with the
    documents they stand in."""
    where: dict[str, set[str]] = defaultdict(set)
    for name, doc in docs.items():
        for s in sentences(doc):
            where[s].add(name)
    stock = [re.sub(r"\s+", "", s) for s in stock]
    return {
        s: sorted(names)
        for s, names in where.items()
        if len(names) > at_most and not any(st and st in s for st in stock)
    }


def overlap(doc: Document, other: Document, min_chinese: int = 8) -> float:
    """The share of ``doc``'s sentences that ``other`` also has (digits aside)."""
    mine = sentences(doc, min_chinese)
    theirs = set(sentences(other, min_chinese))
    return sum(1 for s in mine if s in theirs) / len(mine) if mine else 0.0
