"""Reading the framework YAML file (pure: no Django).

The catalogue tables (areas, activity kinds) are seeded from the same file the rules module
loads its requirements from, so a kind's code means one thing everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_framework(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 顶层应为映射（键: 值）")
    return data
