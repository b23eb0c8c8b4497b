"""The translation catalogues, compiled from their .po files without GNU gettext.

Django reads compiled catalogues (.mo); ``compilemessages`` needs ``msgfmt`` from GNU gettext, which a
server may lack. The .po file is the source we ship and review; its .mo is derived, so it is not kept
in git but compiled at setup (``make setup`` runs ``python -m taizhang.core.catalogue``) and again
whenever the .po is newer than its .mo (checked when the app starts).

The writer follows the GNU .mo layout (the same as CPython's ``Tools/i18n/msgfmt.py``): a header, a
table of original strings and a table of translations, both sorted by original, no hash table.
Entries marked fuzzy or left untranslated are skipped, as ``msgfmt`` does.
"""

from __future__ import annotations

import ast
import logging
import os
import struct
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    msgctxt: str | None = None
    fuzzy: bool = False
    line: int = 0


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, in file order (the header is the entry whose msgid is empty)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # which string the next continuation line extends
    flags_pending = False

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,"):
            if entry is not None and target is not None and target[0] == "msgstr":
                finish()
            flags_pending = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"第 {number} 行：续行之前没有 msgid 或 msgstr")
            _append(entry, target, _unquote(line, number))
            continue
        if keyword in ("msgctxt", "msgid") and (entry is None or target[0] == "msgstr"):
            finish()
            entry = Entry(fuzzy=flags_pending, line=number)
            flags_pending = False
        if entry is None:
            raise ValueError(f"第 {number} 行：无法识别“{line}”")
        if keyword == "msgctxt":
            entry.msgctxt, target = "", ("msgctxt", 0)
        elif keyword == "msgid":
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = "", ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.msgstr[0], target = "", ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index], target = "", ("msgstr", index)
        else:
            raise ValueError(f"第 {number} 行：无法识别“{line}”")
        _append(entry, target, _unquote(rest.strip(), number))
    finish()
    return entries


def _unquote(token: str, number: int) -> str:
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"第 {number} 行：字符串应以双引号括起")
    return ast.literal_eval(token)


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    kind, index = target
    if kind == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, kind, getattr(entry, kind) + text)


def compile_po(text: str) -> bytes:
    """The .mo bytes for a .po file's text."""
    pairs: dict[bytes, bytes] = {}
    for entry in parse_po(text):
        if entry.fuzzy and entry.msgid:
            continue
        strings = [entry.msgstr[i] for i in sorted(entry.msgstr)]
        if entry.msgid and not all(strings):
            continue  # untranslated: gettext falls back on the (Chinese) msgid
        key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        pairs[key.encode()] = "\0".join(strings).encode()
    keys = sorted(pairs)
    header_size = 7 * 4
    table_size = len(keys) * 8
    originals_at = header_size
    translations_at = originals_at + table_size
    data_at = translations_at + table_size
    originals, translations, data = [], [], bytearray()
    for key in keys:
        originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        value = pairs[key]
        translations.append((len(value), data_at + len(data)))
        data += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), originals_at, translations_at, 0, data_at)
    out += b"".join(struct.pack("<2I", *pair) for pair in originals)
    out += b"".join(struct.pack("<2I", *pair) for pair in translations)
    return out + bytes(data)


def catalogues(locale_paths=None) -> list[Path]:
    """Every .po file under the project's locale folders."""
    if locale_paths is None:
        from django.conf import settings

        locale_paths = settings.LOCALE_PATHS
    return sorted(po for folder in locale_paths for po in Path(folder).glob("*/LC_MESSAGES/*.po"))


def compile_all(locale_paths=None, *, force: bool = False) -> list[Path]:
    """Write the .mo beside each .po that is newer than it (or every one, ``force``); returns those written.

    Each .mo is written to a temporary file and renamed into place, so a server starting at the same
    moment reads the old catalogue or the new one, never half of one.
    """
    written = []
    for po in catalogues(locale_paths):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        payload = compile_po(po.read_text(encoding="utf-8"))
        with tempfile.NamedTemporaryFile(dir=po.parent, suffix=".mo.tmp", delete=False) as handle:
            handle.write(payload)
        os.replace(handle.name, mo)
        written.append(mo)
    return written


def ensure_compiled() -> None:
    """At start-up: compile a catalogue whose .po changed; an unwritable folder is a warning, not a crash."""
    try:
        compile_all()
    except OSError as error:
        log.warning("无法编译翻译目录（英文界面将显示中文）：%s", error)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django

    django.setup()
    for path in compile_all(force="--force" in sys.argv):
        print(f"已编译 {path}")
