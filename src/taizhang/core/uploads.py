"""Every file taizhang reads from a user goes through here: pages' uploads and commands' files.

A reader is run by ``read`` (one value) or ``stream`` (items as they are read: a sheet's rows) in a
child process (``core.sandbox``) under the limits of its channel — ``UPLOAD`` for a page, with the
smaller limits a web worker can afford, ``COMMAND`` for a file given to ``taizhang`` by whoever runs
the server — read from the settings (``TAIZHANG_FILE_LIMITS``). The reader itself checks what the
file declares before it parses (``core.limits``: sizes, ratio, sheet extents, paragraphs …); what
it could not foresee, running out of the child's memory or time or dying, comes back here as a
``FileRefused`` too. So every refusal is one line naming the file as its user called it (never a
temporary file's name) and the limit, and nothing a file contains can take the process down.

Who reads what: ``ledger.import_files.read_tables`` (.xlsx, .csv: ``taizhang import`` and the import
page), ``extract.reader`` through ``read_document`` here (.txt, .md, .docx: ``extract``,
``factcheck``, ``import-summary``, ``fill`` and the fact-check page), ``rules.services``'s framework
load (.yaml), ``core.backup`` (a backup's manifest) and ``ledger.services.attachment_create``
(an attachment's package, which nothing parses but whoever downloads it).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings

from taizhang.core import sandbox
from taizhang.core.limits import FileRefused, Limits, check_size, megabytes, member_chunks, open_package

UPLOAD = "upload"
COMMAND = "command"


def limits(channel: str = UPLOAD, **overrides: Any) -> Limits:
    """The limits of ``channel`` from the settings, with ``overrides`` (tests, one-off commands)."""
    return replace(Limits(**settings.TAIZHANG_FILE_LIMITS[channel]), **overrides)


def read(name: str, limits: Limits, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a child under ``limits``; its value, or FileRefused naming
    the file ``name`` when the child ran out of memory or time."""
    try:
        return sandbox.call(function, *args, budget=limits.budget, **kwargs)
    except sandbox.Exceeded as exc:
        raise refusal(exc, name, limits) from None


def stream(
    name: str, limits: Limits, function: Callable[..., Iterator[Any]], /, *args: Any, **kwargs: Any
) -> Iterator[Any]:
    """The items of ``function(*args, **kwargs)`` made in a child under ``limits``; FileRefused is
    raised where the items stop when the child ran out of memory or time."""
    try:
        yield from sandbox.stream(function, *args, budget=limits.budget, **kwargs)
    except sandbox.Exceeded as exc:
        raise refusal(exc, name, limits) from None


def refusal(exc: sandbox.Exceeded, name: str, limits: Limits) -> FileRefused:
    if exc.reason == "memory":
        return FileRefused(
            f"“{name}”读取时超出了 {megabytes(limits.memory_bytes)} 的内存上限，未能读完：文件过大或结构异常"
        )
    if exc.reason == "time":
        return FileRefused(f"“{name}”读取超过了 {limits.seconds:g} 秒的时限，未能读完：文件过大或结构异常")
    return FileRefused(f"“{name}”无法读取：读取时出错退出（{exc.detail}），文件可能已损坏")


# -- documents (.txt, .md, .docx) -------------------------------------------------------------------


def read_document(source: Path | bytes, *, name: str = "", channel: str = UPLOAD) -> str:
    """The text of a document given as a path (a command's file) or as bytes (an upload), read in a
    child under the channel's limits (``extract.reader``)."""
    from taizhang.extract import reader

    within = limits(channel)
    if isinstance(source, Path):
        name = name or source.name
        reader.check_suffix(name)
        try:
            check_size(source.stat().st_size, name, within)
        except OSError as exc:
            raise reader.ReadError(f"无法读取“{name}”：{exc.strerror or exc}") from exc
        return read(name, within, reader.read_document, source, limits=within)
    check_size(len(source), name, within)
    return read(name, within, reader.read_bytes, source, name=name, limits=within)


def check_document(data: bytes, *, name: str, channel: str = UPLOAD) -> None:
    """Refuse a document that breaks a limit, before the caller parses it itself (``fill``)."""
    from taizhang.extract import reader

    within = limits(channel)
    check_size(len(data), name, within)
    read(name, within, reader.check_bytes, data, name=name, limits=within)


# -- attachments ------------------------------------------------------------------------------------

PACKAGES = {
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel (.xlsx) 文件",
    "pptx": "PowerPoint (.pptx) 文件",
    "ofd": "OFD 文件",
}


def check_attachment(data: bytes, *, name: str, extension: str) -> None:
    """An attachment is stored, never parsed; an Office package is still checked as a package
    (members, unpacked sizes, ratio, every member unpacked and its CRC checked) so that no zip bomb
    or truncated file waits in the ledger for whoever opens it."""
    kind = PACKAGES.get(extension)
    if kind is not None:
        within = limits(UPLOAD)
        read(name, within, _check_package, data, name=name, limits=within, kind=kind)


def _check_package(data: bytes, *, name: str, limits: Limits, kind: str) -> None:
    with open_package(io.BytesIO(data), name, limits, kind=kind) as package:
        for info in package.infolist():
            for _ in member_chunks(package, info, name):
                pass
