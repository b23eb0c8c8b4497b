"""The writer's state for one document: figures with their records, phrasings without repeats, and
the truth rules checked where a sentence is made (pure).

A figure is a number resting on records; a record is behind one figure at most (one piece of work is
counted once). A breakdown introduced as a part (其中) never adds up to more than its whole. Phrasings
are chosen by a stable hash of the unit, the period and the statement, in the unit's own voice
(``voice.Voice``), and a phrasing already used in the document is passed over.
"""

from __future__ import annotations

import hashlib
from typing import Any

from taizhang.documents.output.model import Figure, Span
from taizhang.documents.summary.model import Rec, SummaryError, SummaryFacts
from taizhang.documents.summary.voice import Voice


class Writer:
    def __init__(self, facts: SummaryFacts):
        self.facts = facts
        self.voice = Voice(facts)
        self.figures: dict[str, Figure] = {}
        self.owner: dict[tuple[str, int], str] = {}
        self.used: set[str] = set()
        self.told: set[tuple[str, int]] = set()  # highlights already told
        self.avoid: set[str] = set()  # areas whose weak points the body must not deny (存在的问题)
        self.line_named = 0  # times the unit's line of work was named in full ({line})

    # -- phrases ----------------------------------------------------------
    def options(self, *path: str) -> list[str]:
        """The phrasings at ``path`` in summary.yaml; where they are given per profile, the unit's
        profile's, else the default ones."""
        node: Any = self.facts.phrases
        for part in path:
            if not isinstance(node, dict) or part not in node:
                raise SummaryError(f"summary.yaml: 缺少 {'.'.join(path)}")
            node = node[part]
        if isinstance(node, dict):
            node = node.get(self.voice.profile) or node.get("default")
            if node is None:
                raise SummaryError(f"summary.yaml: {'.'.join(path)} 缺少 default")
        return node if isinstance(node, list) else [node]

    def index(self, n: int, *parts: str) -> int:
        """A stable choice among ``n`` for this unit, period and statement (not ``hash()``, which
        changes between processes): the same inputs always read the same, two units differently."""
        period = self.facts.period
        if period.kind == "year" and n > 1:
            # the year never reads as its first half relabelled: each choice the one after the half's
            return (self._hashed(n, f"{period.year}H1", parts) + 1) % n
        return self._hashed(n, period.code, parts)

    def _hashed(self, n: int, period: str, parts: tuple[str, ...]) -> int:
        text = "|".join((self.facts.unit.code, period, *parts))
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % n

    def choose(self, options: list[str], *key: str) -> str:
        """One of ``options`` by a stable hash, passing over those already used in this document."""
        start = self.index(len(options), *key)
        for step in range(len(options)):
            choice = options[(start + step) % len(options)]
            if choice not in self.used:
                self.used.add(choice)
                return choice
        return options[start % len(options)]

    def pick(self, *path: str, key: str = "") -> str:
        return self.choose(self.options(*path), ".".join(path), key)

    def say(this, *path: str, key: str = "", **values: Any) -> list[Span]:
        """A phrasing at ``path``, filled with the unit's words ({self}, {people}…) and ``values``."""
        return this.fill(this.pick(*path, key=key), **values)

    def words(self) -> dict[str, str]:
        return {
            **self.voice.words,
            "period": self.facts.period.label,
            "unit": self.facts.unit.name,
            "short": self.facts.unit.short,
        }

    def fill(this, template: str, **values: Any) -> list[Span]:
        """``template.format`` that keeps Spans (figures) as separate spans; the unit's words fill
        what ``values`` does not."""
        values = {**this.words(), **values}
        out: list[Span] = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            if before:
                out.append(Span(before))
            if name not in values:
                raise SummaryError(f"summary.yaml: 模板“{template}”中的 {{{name}}} 无法填写")
            value = values[name]
            if name == "line" and value == this.words()["line"]:
                # a writer names the line of work in full twice, then by its short name
                this.line_named += 1
                value = value if this.line_named <= 2 else (values.get("line_again") or value)
            for part in value if isinstance(value, list) else [value]:
                out.append(part if isinstance(part, Span) else Span(str(part)))
        if rest:
            out.append(Span(rest))
        return out

    def text(this, *path: str, key: str = "", **values: Any) -> str:
        return "".join(s.text for s in this.say(*path, key=key, **values))

    # -- figures ----------------------------------------------------------
    def figure(
        self,
        key: str,
        label: str,
        records: list[Rec],
        *,
        unit: str,
        value: int | float | None = None,
        text: str | None = None,
    ) -> Span:
        """A number and the records behind it; ``value`` defaults to their count.

        A record already behind another figure is a bug (one piece of work stated twice). An
        imported aggregate counts as the records it stands for, and the figure keeps its source."""
        weights = {(r.type, r.id): r.count for r in records}
        notes = tuple(dict.fromkeys(r.imported for r in records if r.imported))
        # as an imported summary stated it, "N余…": the least it vouches for
        more = text is None and bool(records) and all(r.imported and r.info.get("more") for r in records)
        return self._figure(key, label, weights, notes, unit=unit, value=value, text=text, more=more)

    def rows_figure(
        self, key: str, label: str, table: str, ids: list[int], *, unit: str, value: float, text: str
    ) -> Span:
        """A figure counted from rows that are no record of the summary's own (the attendance rows
        behind a rate: thousands in a half-year, each one count), named by their table and ids."""
        return self._figure(
            key, label, dict.fromkeys([(table, i) for i in ids], 1), (), unit=unit, value=value, text=text
        )

    def _figure(
        self,
        key: str,
        label: str,
        weights: dict[tuple[str, int], int],
        notes: tuple[str, ...],
        *,
        unit: str,
        value: int | float | None,
        text: str | None,
        more: bool = False,
    ) -> Span:
        refs = tuple(sorted(weights))
        for ref in refs:
            if ref in self.owner:
                raise SummaryError(f"记录 {ref} 已计入“{self.owner[ref]}”，不能再计入“{label}”")
        for ref in refs:
            self.owner[ref] = label
        if key in self.figures:
            raise SummaryError(f"数字“{key}”在文中出现两次")
        fig = Figure(
            key=key,
            label=label,
            value=sum(weights.values()) if value is None else value,
            record_ids=tuple(i for _, i in refs),
            source=refs[0][0] if refs else "",
            records=refs,
            unit=unit,
            imported=notes,
        )
        self.figures[key] = fig
        if text is None and more:
            text = f"{fig.value}余{unit}"
        shown = str(fig.value) if text is None else text
        return Span(shown if text is not None else f"{shown}{unit}", figure=key)

    def own(self, records, label: str) -> None:
        """Records told by name (a plan, a piece of work recorded twice) and counted nowhere: no other
        figure may count them either."""
        for r in records:
            self.owner.setdefault((r.type, r.id), label)

    def free(self, records) -> list[Rec]:
        """The records no figure has counted and no sentence has told by name yet."""
        return [r for r in records if (r.type, r.id) not in self.owner]

    # -- truth rules --------------------------------------------------------
    def check_parts(self, whole: int, parts: list[Span], label: str) -> None:
        """A breakdown told as part of a whole (其中…) never adds up to more than the whole, and no
        part is larger than it; parts counted in 次 (人次, 条次) may overlap, but none exceeds it."""
        values = [self.figures[p.figure] for p in parts if p.figure]
        for part in values:
            if part.value > whole:
                raise SummaryError(f"“{part.label}”{part.value} 大于其总数“{label}”{whole}")
        if not all(p.unit.endswith("次") for p in values) and sum(p.value for p in values) > whole:
            raise SummaryError(f"“{label}”{whole} 的分项合计 {sum(p.value for p in values)} 大于总数")
