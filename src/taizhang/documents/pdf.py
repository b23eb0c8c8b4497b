"""PDF through LibreOffice headless, with the project's font aliases (fonts/fonts.conf).

LibreOffice is an optional system package: callers ask ``soffice_path()`` first and tell the user
what to install when it is missing. Each conversion uses its own LibreOffice profile directory, so
conversions running in parallel (batch mode) do not fight over one profile lock.

``face_holds`` tells the .docx writer which characters the face a declared name maps to can draw
(asked of fontconfig with the same aliases), so a paragraph is never set in two Chinese faces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
PACKAGES = "libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-cwtex-fs fonts-liberation2"
INSTALL_HINT = f"生成 PDF 需要 LibreOffice 和字体：apt-get install {PACKAGES}"


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (a setup matter the user can fix)."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _east_asian(char: str) -> bool:
    """Characters LibreOffice sets in the East Asian face: CJK ideographs, punctuation, full-width forms."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFFEF or code >= 0x20000


@lru_cache(maxsize=64)
def _charset(face: str, lang: str) -> frozenset[int] | None:
    """The code points of the file fontconfig picks for ``face`` in ``lang``; None when unknown."""
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}", f"{face}:lang={lang.lower()}"],
            capture_output=True, text=True, check=True, env=env, timeout=30,
        ).stdout.split("\n")  # fmt: skip
        ranges = subprocess.run(
            ["fc-query", "--index", found[1], "--format=%{charset}", found[0]],
            capture_output=True, text=True, check=True, env=env, timeout=30,
        ).stdout.split()  # fmt: skip
    except (OSError, subprocess.SubprocessError, IndexError):
        return None
    points: set[int] = set()
    for part in ranges:
        first, _, last = part.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


def face_holds(face: str, lang: str, text: str) -> bool:
    """Whether the face ``face`` maps to draws every East Asian character of ``text``."""
    points = _charset(face, lang)
    return points is None or all(ord(c) in points for c in text if _east_asian(c))


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="taizhang-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            env=env,
            timeout=timeout,
        )
        out = Path(tmp) / "document.pdf"
        if not out.exists():
            raise RuntimeError("LibreOffice 未生成 PDF 文件")
        return out.read_bytes()
