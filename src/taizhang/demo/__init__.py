"""The demo county: two organisations reconstructed from the two seed documents, with fictional
people, and a dozen generated units beside them (``loading.load``; ``taizhang demo``).

``county``: the region above them all, with the ``county-leader`` login (see ``county``).

``cppcc``: a county CPPCC organ, first half of 2020, whose ledger yields the seed's counts.
``school``: a school party branch, the whole of 2020, with plausible figures for the template's blanks.

An installed app (for its command), so this package imports no model when Django loads it.
"""

from __future__ import annotations


def load(*, reset: bool = False) -> list[str]:
    """Build the demo county and its organisations (``loading.load``)."""
    from taizhang.demo.loading import load as build

    return build(reset=reset)
