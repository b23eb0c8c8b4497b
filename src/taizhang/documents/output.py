"""One document model, three file formats; the CLI, the web and the batch share this."""

from __future__ import annotations

from taizhang.documents import gbt9704, pdf
from taizhang.documents.model import Document, to_markdown

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
        # Written for the faces the PDF will use: a paragraph one of them cannot draw whole changes face.
        return pdf.docx_to_pdf(gbt9704.render(doc, holds=pdf.face_holds))
    raise ValueError(f"unknown format {fmt!r}")


def explain(doc: Document) -> str:
    """Each figure with the record ids it was counted from: what ``--explain`` prints."""
    lines = []
    for fig in doc.figures.values():
        ids = "、".join(f"#{i}" for i in fig.record_ids) or "（无记录）"
        lines.append(f"{fig.label} = {fig.value}  ← {fig.source} {ids}")
    if doc.placeholders:
        lines.append("待补充：" + "；".join(doc.placeholders))
    return "\n".join(lines)
