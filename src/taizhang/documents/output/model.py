"""The document model every generator produces and every renderer (.docx, Markdown, HTML) reads.

Pure Python, no Django: a builder turns figures into this model, renderers turn it into files, and
neither needs to know about the other. A paragraph is a list of spans so that a figure keeps the
record ids behind it and a placeholder stays marked all the way to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

ACTIVITY = "活动"  # Figure.source of counts over ledger activities


@dataclass(frozen=True)
class Figure:
    """A number in a document and the records it was counted from (``--explain``, hover)."""

    key: str
    label: str
    value: int
    record_ids: tuple[int, ...] = ()
    # What the ids number: ledger activities unless a practice module counted something else
    # (采用记录, 宣传稿件, 捐赠记录…); ids of different tables must never be read as activities.
    source: str = ACTIVITY
    # Every record behind the figure as (record type, id): the provenance ``--explain --json`` prints.
    records: tuple[tuple[str, int], ...] = ()
    unit: str = ""  # the measure word it is counted in: 次 篇 条 期 个 元 %
    # Where an aggregate imported from a past summary stands behind it: 据《…》导入，汇总数 (--explain)
    imported: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """A run of text; ``figure`` names the Figure it shows, ``placeholder`` marks 【待补充：…】."""

    text: str
    figure: str | None = None
    placeholder: bool = False


@dataclass(frozen=True)
class Block:
    """A heading (level 1 "一、", 2 "（一）", 3 "1.") or a body paragraph (level 0)."""

    spans: tuple[Span, ...]
    level: int = 0
    # A heading that opens a section the clerk rewrites ("problems": 存在的问题, "steps": 下一步打算):
    # the page's edit boxes start from the paragraphs under it, whatever the heading's words.
    section: str = ""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    signature_unit: str = ""
    signature_date: str = ""
    figures: dict[str, Figure] = field(default_factory=dict)
    # 主送机关 (GB/T 9704 §7.2.3): flush left under the title, ending in a full-width colon.
    recipients: str = ""
    # The title's words in order (their concatenation is the title): a long title breaks only
    # between them, never inside a phrase (§7.3.1). Empty: the title is one phrase.
    title_phrases: tuple[str, ...] = ()
    # The script the text is in (``documents.output.scripts.SCRIPTS``): fonts and language follow it.
    script: str = "simplified"

    @property
    def placeholders(self) -> list[str]:
        """Every open 【待补充：…】, in reading order: the preview lists them, the CLI warns about them."""
        return [span.text for block in self.blocks for span in block.spans if span.placeholder]

    @property
    def text(self) -> str:
        lines = [self.title, *([self.recipients] if self.recipients else []), *(b.text for b in self.blocks)]
        if self.signature_unit:
            lines += [self.signature_unit, self.signature_date]
        return "\n".join(lines)

    def map_text(self, convert: Callable[[str], str]) -> Document:
        """The same document with every visible string passed through ``convert`` (script conversion)."""
        blocks = tuple(
            replace(block, spans=tuple(replace(span, text=convert(span.text)) for span in block.spans))
            for block in self.blocks
        )
        figures = {
            key: replace(fig, label=convert(fig.label), source=convert(fig.source))
            for key, fig in self.figures.items()
        }
        return replace(
            self,
            title=convert(self.title),
            title_phrases=tuple(convert(phrase) for phrase in self.title_phrases),
            recipients=convert(self.recipients),
            blocks=blocks,
            signature_unit=convert(self.signature_unit),
            signature_date=convert(self.signature_date),
            figures=figures,
        )


def para(*parts: str | Span, level: int = 0, section: str = "") -> Block:
    return Block(tuple(Span(p) if isinstance(p, str) else p for p in parts if p != ""), level, section)


def to_markdown(doc: Document) -> str:
    """Markdown for review by e-mail or in a diff; placeholders stay visible in bold."""
    out = [f"# {doc.title}", ""]
    if doc.recipients:
        out += [doc.recipients, ""]
    for block in doc.blocks:
        text = "".join(f"**{s.text}**" if s.placeholder else s.text for s in block.spans)
        out += [f"{'#' * (block.level + 1)} {text}" if block.level else text, ""]
    if doc.signature_unit:
        out += [f"{doc.signature_unit}  ", doc.signature_date, ""]
    return "\n".join(out)
