"""One document model, three file formats; the CLI, the web and the batch share this."""

from __future__ import annotations

from taizhang.documents.output import gbt9704, pdf
from taizhang.documents.output.model import Document, to_markdown

FORMATS = ("docx", "pdf", "md")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "docx":
        return gbt9704.render(doc)
    if fmt == "pdf":
        # Written for the faces the PDF will use: a heading its face cannot draw whole changes face.
        return pdf.docx_to_pdf(gbt9704.render(doc, holds=pdf.face_holds))
    raise ValueError(f"unknown format {fmt!r}")


# Record tables no module declares in the registry, as --explain names them.
NAMES = {"attendance": "考勤", "imported_figures": "导入的汇总数"}


def explain(doc: Document) -> str:
    """Each figure with the records it was counted from: what ``--explain`` prints."""
    from taizhang.core.registry import REGISTRY

    lines = []
    for fig in doc.figures.values():
        by_type: dict[str, list[int]] = {}
        for record_type, pk in fig.records:
            by_type.setdefault(record_type, []).append(pk)
        sources = "；".join(
            f"{REGISTRY[t].name if t in REGISTRY else NAMES.get(t, t)} " + "、".join(f"#{i}" for i in ids)
            for t, ids in by_type.items()
        )
        lines.append(f"{fig.label} = {fig.value}{fig.unit}  ← {sources or '（无记录）'}")
        lines.extend(f"    {note}" for note in fig.imported)
    if doc.placeholders:
        lines.append("待补充：" + "；".join(doc.placeholders))
    return "\n".join(lines)


def explain_json(doc: Document) -> dict:
    """Every figure with where it stands in the document's text and the records behind it.

    ``start``/``end`` are character offsets into ``doc.text`` (title, paragraphs and signature joined
    by line breaks), so a reader can find each figure where the document states it.
    """
    figures = []
    position = len(doc.title) + 1
    for block in doc.blocks:
        for span in block.spans:
            if span.figure:
                fig = doc.figures[span.figure]
                figures.append(
                    {
                        "key": fig.key,
                        "label": fig.label,
                        "text": span.text,
                        "value": fig.value,
                        "unit": fig.unit,
                        "start": position,
                        "end": position + len(span.text),
                        "records": [{"type": t, "id": i} for t, i in fig.records],
                        "imported": list(fig.imported),
                    }
                )
            position += len(span.text)
        position += 1
    return {"figures": figures, "placeholders": doc.placeholders}
