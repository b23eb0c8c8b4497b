"""Filling a blank template: .txt and .md as text, .docx run by run (pure: no Django).

The blanks are what the extractor reports as ``missing`` ("开展中心组学习 次", "XX次", " 年");
``resolve`` gives each its text from the ledger, or None, and a blank it cannot fill becomes
【待补充】 before its measure word, so a reader sees what is left to write. In a .docx each paragraph
is filled where its runs stand: the first run a blank's gap touches takes the number in its own
formatting (an underlined gap stays underlined), the rest of the gap is cut from the runs after it, and nothing else of the paragraph
(runs, styles, tables, headers, layout) is rewritten.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from taizhang.extract import Figure, Vocabulary, extract
from taizhang.extract.reader import ReadError, decode_text, docx_paragraphs, open_docx

PENDING = "【待补充】"
Resolve = Callable[[list[Figure]], list[str | None]]


@dataclass(frozen=True)
class Filled:
    where: str  # 第3行 / 第5段
    blank: Figure
    text: str | None  # what it was filled with; None: left as 【待补充】

    def describe(self) -> str:
        subject = self.blank.subject or ("年份" if self.blank.kind == "year" else "（未识别）")
        shown = self.text if self.text is not None else PENDING + self.blank.unit
        return f"{self.where}：{subject} “{self.blank.text.strip()}” → {shown}"


def fill(data: bytes, *, name: str, vocab: Vocabulary, resolve: Resolve) -> tuple[bytes, list[Filled]]:
    """The filled file's bytes (same format as ``name``) and what was done with each blank."""
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return _fill_docx(data, name=name, vocab=vocab, resolve=resolve)
    if suffix in (".txt", ".md"):
        text = decode_text(data, name=name)
        blanks = list(extract(text, vocab).missing)
        values = resolve(blanks)
        done = [
            Filled(f"第{text.count(chr(10), 0, b.start) + 1}行", b, v)
            for b, v in zip(blanks, values, strict=True)
        ]
        for item in reversed(done):
            start, end, new = _replacement(item)
            text = text[:start] + new + text[end:]
        return text.encode("utf-8"), done
    raise ReadError(f"“{name}”：只能填写 .txt、.md 或 .docx 模板")


def _replacement(item: Filled) -> tuple[int, int, str]:
    """What to write over which characters: the gap only, when the measure word stays as written
    (the number takes the gap's run and formatting); the gap and the measure word otherwise
    (万元 written out as 1.8万余元)."""
    b = item.blank
    new = item.text if item.text is not None else PENDING + b.unit
    if b.unit and new.endswith(b.unit) and b.text.endswith(b.unit):
        return b.start, b.end - len(b.unit), new[: -len(b.unit)]
    return b.start, b.end, new


def _fill_docx(data: bytes, *, name: str, vocab: Vocabulary, resolve: Resolve) -> tuple[bytes, list[Filled]]:
    document = open_docx(data, name=name)
    found: list[tuple[list, Filled]] = []
    blanks: list[Figure] = []
    for number, paragraph in enumerate(docx_paragraphs(document), start=1):
        runs = _runs(paragraph)
        text = "".join(run.text for run in runs)
        for blank in extract(text, vocab).missing:
            blanks.append(blank)
            found.append((runs, Filled(f"第{number}段", blank, None)))
    values = resolve(blanks)
    done = []
    for (runs, item), value in zip(found, values, strict=True):
        done.append((runs, Filled(item.where, item.blank, value)))
    # Right to left within each paragraph, so the positions of the blanks before stay true.
    for runs, item in reversed(done):
        _replace(runs, *_replacement(item))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), [item for _, item in done]


def _runs(paragraph) -> list:
    """The paragraph's runs in order, those inside hyperlinks included."""
    from docx.text.hyperlink import Hyperlink

    out = []
    for item in paragraph.iter_inner_content():
        out.extend(item.runs if isinstance(item, Hyperlink) else [item])
    return out


def _replace(runs: list, start: int, end: int, new: str) -> None:
    position = 0
    placed = False
    for run in runs:
        text = run.text
        lo, hi = position, position + len(text)
        position = hi
        if hi <= start or lo >= end:
            continue
        cut_from, cut_to = max(start, lo) - lo, min(end, hi) - lo
        if not placed:
            run.text = text[:cut_from] + new + text[cut_to:]
            placed = True
        else:
            run.text = text[:cut_from] + text[cut_to:]
