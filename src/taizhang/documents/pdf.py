"""PDF through LibreOffice headless, with the project's font aliases (fonts/fonts.conf).

LibreOffice is an optional system package: callers ask ``soffice_path()`` first and tell the user
what to install when it is missing. Each conversion uses its own LibreOffice profile directory, so
conversions running in parallel (batch mode) do not fight over one profile lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
INSTALL_HINT = (
    "生成 PDF 需要 LibreOffice：apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai"
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (a setup matter the user can fix)."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


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
