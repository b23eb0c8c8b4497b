"""PDF through LibreOffice headless, with the project's font aliases (fonts/fonts.conf).

LibreOffice is an optional system package: callers ask ``soffice_path()`` first and tell the user
what to install when it is missing. Each conversion uses its own LibreOffice profile directory, so
conversions running in parallel (batch mode) do not fight over one profile lock.

``face_holds`` tells the .docx writer which characters the face a declared name maps to can draw
(asked of fontconfig with the same aliases), so a heading is never set in two Chinese faces.

Chinese faces by region. Debian ships Noto CJK as collections (.ttc) whose Japanese, Korean,
Chinese faces share one CFF table, named after the Japanese face: LibreOffice embeds that name,
so a PDF set in Noto Serif CJK SC listed ``NotoSerifCJKjp-Regular`` (the glyphs were Chinese all
along: LibreOffice picks them by the text's language through the font's ``locl`` feature). Before
converting, ``_regional_faces`` copies the faces of the document's region (SC for simplified, HK
or TC for traditional) out of the collections into standalone fonts whose CFF names say the region
(``NotoSerifCJKsc-Regular``), once per machine, and the conversion's fontconfig sees those instead
of the collections.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from taizhang.core.slots import stepped_aside

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
PACKAGES = "libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-liberation2"
INSTALL_HINT = f"生成 PDF 需要 LibreOffice 和字体：apt-get install {PACKAGES}"

# The East Asian language a .docx declares → the Noto CJK region whose faces set it (fonts.conf
# maps the declared names by the same languages).
REGIONS = {"zh-cn": "sc", "zh-sg": "sc", "zh-hk": "hk", "zh-mo": "hk", "zh-tw": "tc"}
_EAST_ASIAN_LANG = re.compile(r'<w:lang\b[^>]*\bw:eastAsia="([^"]+)"')
_NOTO_FACE = re.compile(r"^Noto(Sans|Serif)CJK(sc|tc|hk)-(Regular|Bold)$")


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (a setup matter the user can fix)."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _east_asian(char: str) -> bool:
    """Characters LibreOffice sets in the East Asian face: CJK ideographs, punctuation, full-width forms."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFFEF or code >= 0x20000


# --- Regional Noto CJK faces ---------------------------------------------------------------------


def _cff_names_end(cff: bytes) -> int:
    """Where the CFF's String INDEX ends: the font's names (Name INDEX, FDArray names) lie before it."""
    at = cff[2]  # header size
    for _ in range(3):  # Name INDEX, Top DICT INDEX, String INDEX
        count = struct.unpack_from(">H", cff, at)[0]
        if not count:
            at += 2
            continue
        size = cff[at + 2]
        last = int.from_bytes(cff[at + 3 + count * size : at + 3 + (count + 1) * size], "big")
        at += 3 + (count + 1) * size + last - 1
    return at


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def extract_face(collection: bytes, index: int, region: str) -> bytes:
    """Face ``index`` of a .ttc as a standalone OpenType font, its CFF names saying ``region``.

    The shared CFF names the Japanese face (``NotoSerifCJKjp-Regular``, its FDArray parts, "Noto
    Serif CJK JP"); "jp" becomes the region in place (same length, so no offset moves). The table
    checksums and the file's checksum adjustment are worked out anew.
    """
    (offset,) = struct.unpack_from(">L", collection, 12 + 4 * index)
    version, count = struct.unpack_from(">4sH", collection, offset)
    tables = {}
    for i in range(count):
        tag, _, start, length = struct.unpack_from(">4sLLL", collection, offset + 12 + 16 * i)
        tables[tag] = collection[start : start + length]
    if b"CFF " in tables:
        cff = tables[b"CFF "]
        end = _cff_names_end(cff)
        names = (
            cff[:end]
            .replace(b"CJKjp", f"CJK{region}".encode())
            .replace(b"CJK JP", f"CJK {region.upper()}".encode())
        )
        tables[b"CFF "] = names + cff[end:]
    if b"head" in tables:  # checkSumAdjustment is worked out over the whole file below
        tables[b"head"] = tables[b"head"][:8] + b"\0\0\0\0" + tables[b"head"][12:]
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = struct.pack(
        ">4sHHHH", version, len(tags), power * 16, power.bit_length() - 1, (len(tags) - power) * 16
    )
    at = len(header) + 16 * len(tags)
    records, body, head_at = [], [], None
    for tag in tags:
        data = tables[tag]
        records.append(struct.pack(">4sLLL", tag, _checksum(data), at, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        head_at = at if tag == b"head" else head_at
        at += len(body[-1])
    font = bytearray(header + b"".join(records) + b"".join(body))
    if head_at is not None:
        struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _noto_faces() -> list[tuple[Path, int, str]]:
    """(collection, index, PostScript name) of the Chinese Noto CJK faces fontconfig knows."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format=%{file}|%{index}|%{postscriptname}\n", ":fontformat=CFF"],
            capture_output=True, text=True, check=True, timeout=60,
            env={k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"},  # the system's fonts
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in listed.splitlines():
        file, _, rest = line.partition("|")
        index, _, name = rest.partition("|")
        if _NOTO_FACE.match(name) and file.endswith((".ttc", ".otc")) and index.isdigit():
            faces.append((Path(file), int(index), name))
    return sorted(faces)


def _cache_roots() -> list[Path]:
    """Where the faces are extracted once (about 90 MB a region): TAIZHANG_FONT_CACHE, else the
    user's cache directory, else (a server account without a writable home) the temporary one."""
    if configured := os.environ.get("TAIZHANG_FONT_CACHE"):
        return [Path(configured)]
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return [home / "taizhang" / "fonts", Path(tempfile.gettempdir()) / f"taizhang-fonts-{os.getuid()}"]


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # a parallel conversion writing the same file writes the same bytes


@lru_cache(maxsize=8)
def _regional_faces(region: str) -> tuple[Path, tuple[Path, ...]] | None:
    """(directory of the region's standalone faces, the collections they replace), or None.

    The directory's name hashes the collections' paths, sizes and times, so a font update gives a
    new copy. None when there is nothing to extract or no writable cache: the collections then
    serve as they are (right glyphs, Japanese names).
    """
    faces = [
        (file, index, name) for file, index, name in _noto_faces() if _NOTO_FACE.match(name)[2] == region
    ]
    if not faces:
        return None
    stamp = hashlib.sha256(
        repr(sorted({(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f, _, _ in faces})).encode()
    ).hexdigest()[:12]
    for root in _cache_roots():
        directory = root / f"{region}-{stamp}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for file, index, name in faces:
                target = directory / f"{name}.otf"
                if not target.exists():
                    _write_atomically(target, extract_face(file.read_bytes(), index, region))
        except OSError:
            continue
        return directory, tuple(sorted({file for file, _, _ in faces}))
    return None


def fontconfig_file(regions: frozenset[str] = frozenset({"sc"})) -> Path:
    """The fontconfig file a conversion runs with: fonts.conf, with the regional faces of ``regions``.

    The collections the faces come from are rejected, so that a family name (Noto Serif CJK SC)
    means the standalone face; fontconfig's cache of the faces is kept beside them (a conversion's
    HOME is a temporary directory). fonts.conf alone when no face could be extracted.
    """
    found = [f for f in (_regional_faces(region) for region in sorted(regions)) if f]
    if any(not directory.is_dir() for directory, _ in found):  # the cache was emptied meanwhile
        _regional_faces.cache_clear()
        found = [f for f in (_regional_faces(region) for region in sorted(regions)) if f]
    if not found:
        return FONTS_CONF
    root = found[0][0].parent
    collections = sorted({c for _, cs in found for c in cs})
    dirs = "".join(f"  <dir>{_xml(str(directory))}</dir>\n" for directory, _ in found)
    rejected = "".join(f"<glob>{_xml(str(c))}</glob>" for c in collections)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"{dirs}  <cachedir>{_xml(str(root / 'fc-cache'))}</cachedir>\n"
        f"  <selectfont><rejectfont>{rejected}</rejectfont></selectfont>\n"
        f"  <include>{_xml(str(FONTS_CONF))}</include>\n</fontconfig>\n"
    )
    conf = root / f"fonts-{'-'.join(d.name for d, _ in found)}.conf"
    try:
        if not conf.exists() or conf.read_text(encoding="utf-8") != text:
            _write_atomically(conf, text.encode("utf-8"))
    except OSError:
        return FONTS_CONF
    return conf


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_regions(docx: bytes) -> frozenset[str]:
    """The Noto regions of the East Asian languages a .docx declares (its defaults, its runs): zh-CN
    when it declares none."""
    found: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for part in ("word/styles.xml", "word/document.xml"):
                if part in archive.namelist():
                    xml = archive.read(part).decode("utf-8")
                    found.update(REGIONS.get(lang.lower(), "sc") for lang in _EAST_ASIAN_LANG.findall(xml))
    except zipfile.BadZipFile:
        pass
    return frozenset(found or {"sc"})


@lru_cache(maxsize=64)
def _charset(face: str, lang: str) -> frozenset[int] | None:
    """The code points of the file fontconfig picks for ``face`` in ``lang``; None when unknown."""
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(fontconfig_file(frozenset({REGIONS.get(lang.lower(), "sc")}))),
    }
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
    fonts = fontconfig_file(docx_regions(docx))
    with tempfile.TemporaryDirectory(prefix="taizhang-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": tmp}
        with stepped_aside():  # LibreOffice takes seconds: the request's slot to others meanwhile
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
