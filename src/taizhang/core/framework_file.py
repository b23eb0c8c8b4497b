"""Reading the framework files (no Django model; the folder is Django's setting when Django is set up).

One folder holds them (``TAIZHANG_FRAMEWORKS``, default ``frameworks/``): ``ideology.yaml`` (areas,
activity kinds, requirements) and ``summary.yaml`` (the summary's phrases). The catalogue tables,
the rules and the summary all read them through this module, so a code means one thing everywhere
and an organisation that points ``TAIZHANG_FRAMEWORKS`` at its own copies changes every reader.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from taizhang.core.file_cache import kept_while_unchanged

RULES_FILE = "ideology.yaml"
PHRASES_FILE = "summary.yaml"


def frameworks_dir() -> Path:
    """The framework folder: the ``FRAMEWORKS_DIR`` setting (``TAIZHANG_FRAMEWORKS``; a test may point it
    elsewhere); without Django set up (the pure extractor's own tests and tools), the environment's
    ``TAIZHANG_FRAMEWORKS``, else the project's ``frameworks/``."""
    from django.conf import settings

    if settings.configured:
        return Path(settings.FRAMEWORKS_DIR)
    configured = os.environ.get("TAIZHANG_FRAMEWORKS")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "frameworks"


def read_framework(path: Path) -> dict[str, Any]:
    """The file's top-level mapping, read once per version of the file (its modification time)."""
    return _read(str(Path(path)))


@kept_while_unchanged(files=lambda path: (path,), maxsize=16)
def _read(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 顶层应为映射（键: 值）")
    return data


def rules_file() -> Path:
    return frameworks_dir() / RULES_FILE


def phrases() -> dict[str, Any]:
    """The summary's phrase library, with the framework's area headings merged in (``areas``)."""
    data = read_framework(frameworks_dir() / PHRASES_FILE)
    headings = {
        row.get("code"): row.get("heading") or row.get("name", "")
        for row in read_framework(rules_file()).get("areas") or []
    }
    return {**data, "headings": headings}
