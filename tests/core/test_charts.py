"""The charts' colours: neighbouring series (a stack's adjacent segments, a legend's next entry) and
the heatmap's classes must be told apart, so no two neighbours are near in CIE Lab (ΔE*ab)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.PACKAGE_DIR) / "core" / "static" / "taizhang"
NEAR = 25  # ΔE*ab below which two colours read as one at a glance on a small chart


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = linear(r), linear(g), linear(b)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_neighbouring_series_colours_are_far_apart():
    source = (STATIC / "palette.js").read_text(encoding="utf-8")
    fixed = re.findall(r"#[0-9A-Fa-f]{6}", re.search(r"var fixed = \[(.*?)\];", source, re.S)[1])
    other = re.search(r'var OTHER = "(#[0-9a-fA-F]{6})"', source)[1]
    assert len(fixed) == 8  # eight series, the rest summed as 其他
    pairs = [*itertools.pairwise(fixed), *((c, other) for c in fixed)]
    near = [(a, b, round(_delta(a, b))) for a, b in pairs if _delta(a, b) < NEAR]
    assert near == []


def test_the_heatmaps_classes_are_far_apart():
    source = (STATIC / "dashboard.js").read_text(encoding="utf-8")
    classes = re.findall(r'color: "(#[0-9a-fA-F]{6})", label', source)
    assert len(classes) == 5
    near = [(a, b) for a, b in itertools.pairwise(classes) if _delta(a, b) < NEAR]
    assert near == []
