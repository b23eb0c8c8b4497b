"""A Word document (.docx) checked before it is read (``core.limits``): its paragraphs, characters,
longest paragraph and how deep its XML nests.
"""

from __future__ import annotations

from typing import IO
from xml.parsers import expat

from taizhang.core.limits import FileRefused, Limits, _parser, _pieces, member_chunks, number, open_package

_WORD = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)


def scan_docx(handle: IO[bytes], name: str, limits: Limits) -> None:
    """Refuse a .docx whose XML holds more than a document may: paragraphs, characters, the longest
    paragraph, elements, nesting; every member is unpacked and checked on the way."""
    package = open_package(handle, name, limits, kind="Word 文档（.docx）")
    with package:
        state = {"paragraphs": 0, "chars": 0, "elements": 0, "depth": 0, "paragraph": 0}
        for info in package.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):  # what python-docx parses
                chunks = _pieces(member_chunks(package, info, name), name, info.filename, limits.line_chars)
                _scan_document_part(chunks, info.filename, name, limits, state)


def _scan_document_part(chunks, member: str, name: str, limits: Limits, state: dict) -> None:
    parser = _parser(name, member)
    parser.buffer_text = True

    def start(tag: str, _attributes) -> None:
        state["elements"] += 1
        state["depth"] += 1
        if state["depth"] > limits.depth:
            raise FileRefused(f"“{name}”的 {member} 嵌套超过 {limits.depth} 层，不是正常的 Word 文档")
        if state["elements"] > limits.xml_elements:
            raise FileRefused(
                f"“{name}”的内容超过 {number(limits.xml_elements)} 个元素，超过上限（{number(limits.paragraphs)} 段）"
            )
        uri, _, local = tag.rpartition(" ")
        if local == "p" and uri in _WORD:
            state["paragraphs"] += 1
            state["paragraph"] = 0
            if state["paragraphs"] > limits.paragraphs:
                raise FileRefused(f"“{name}”有超过 {number(limits.paragraphs)} 个段落，超过上限")

    def end(_tag: str) -> None:
        state["depth"] -= 1

    def text(data: str) -> None:
        state["chars"] += len(data)
        state["paragraph"] += len(data)
        if state["chars"] > limits.chars:
            raise FileRefused(f"“{name}”有超过 {number(limits.chars)} 个字符，超过上限")
        if state["paragraph"] > limits.line_chars:
            raise FileRefused(
                f"“{name}”第 {number(state['paragraphs'])} 段有超过 {number(limits.line_chars)} 个字符，超过上限"
            )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileRefused(f"“{name}”已损坏：其中的 {member} 不是有效的 XML") from exc
    except RecursionError as exc:  # pragma: no cover (depth is checked first)
        raise FileRefused(f"“{name}”的 {member} 嵌套过深") from exc
