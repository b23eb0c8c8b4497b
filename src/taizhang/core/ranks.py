"""Places in a ranking, with ties (pure: no Django).

Units with the same score share a place and are marked 并列; the next unit's place counts every
unit above it (1, 并列2, 并列2, 4). Where every score is 0 there is nothing to rank: the caller
says so rather than numbering units 1 to n.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def places(scores: Sequence[float]) -> list[tuple[int, bool]]:
    """(place, tied) for each of ``scores``, which must be in ranking order (best first)."""
    seen = Counter(scores)
    out = []
    first: dict[float, int] = {}
    for index, score in enumerate(scores, 1):
        first.setdefault(score, index)
        out.append((first[score], seen[score] > 1))
    return out


def nothing_to_rank(scores: Sequence[float]) -> bool:
    """Every score is 0 (or there is none): no ranking at all."""
    return all(score == 0 for score in scores)
