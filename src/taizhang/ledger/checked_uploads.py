"""Uploaded ledger files kept between an import's check and its write.

A clerk checks a workbook, reads what it would write, then presses 写入: the file checked is the
file written, without choosing it again. It is kept on the server, outside the media directory (it
is never served), under the login that uploaded it: another login, or the same one after
``KEEP`` has passed, cannot write it. Written or expired files are removed; every keep and take
sweeps the expired ones first, so nothing outlives ``KEEP`` by more than the next import.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 60 * 60  # an hour to read the check and press 写入
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


def _root() -> Path:
    return Path(settings.VAR_DIR) / "checked-imports"


@dataclass(frozen=True)
class CheckedUpload:
    token: str
    path: Path  # the file as uploaded (its suffix kept: the reader goes by it)
    name: str  # the name the clerk's file had, for messages and the records' history
    unit: str  # the code of the unit it was checked for


def _sweep(now: float) -> None:
    root = _root()
    if not root.is_dir():
        return
    for user_dir in root.iterdir():
        for kept in user_dir.iterdir() if user_dir.is_dir() else ():
            try:
                expired = now - kept.stat().st_mtime > KEEP_SECONDS
            except FileNotFoundError:
                continue
            if expired:
                shutil.rmtree(kept, ignore_errors=True)


def keep(*, user, unit: str, name: str, source: Path) -> str:
    """Keep the checked file ``source`` for ``user``; returns the token the write step sends back."""
    _sweep(time.time())
    token = secrets.token_urlsafe(18)
    directory = _root() / str(user.pk) / token
    directory.mkdir(parents=True, mode=0o700)
    shutil.copyfile(source, directory / f"upload{source.suffix.lower()}")
    (directory / "meta.json").write_text(json.dumps({"name": name, "unit": unit}), encoding="utf-8")
    return token


def take(*, user, token: str) -> CheckedUpload | None:
    """The file ``user`` kept under ``token``, or None (unknown, another login's, or expired)."""
    _sweep(time.time())
    if not _TOKEN.match(token or ""):
        return None
    directory = _root() / str(user.pk) / token
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = [p for p in directory.iterdir() if p.name.startswith("upload")]
    if not files:
        return None
    return CheckedUpload(token=token, path=files[0], name=meta["name"], unit=meta["unit"])


def discard(*, user, token: str) -> None:
    if _TOKEN.match(token or ""):
        shutil.rmtree(_root() / str(user.pk) / token, ignore_errors=True)
