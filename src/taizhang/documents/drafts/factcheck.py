"""A hand-written draft's figures against the ledger, through the summary's own figures (pure).

The ledger's side is what the summary states (``documents.summary.facts`` → ``summary.build_summary``): each
figure with its value and the records behind it, each record known by the kinds and record types it
is (``LedgerFigure``, built by ``documents.drafts.queries``). A draft's figure (``taizhang.extract``) is read
against the figures it speaks of, and never counted on its own:

1. its kind (the activity kind or record type its subject names, with the codes that share that
   name) picks the figures whose records are all of that kind; a subject that names no kind but a
   publication (《各界反映》27期) picks the figures whose label names it;
2. its measure word keeps those counted in the same things (元 with money, % with rates, 篇 with
   条 — ``factcheck.yaml``'s unit groups);
3. the unit itself unless the sentence speaks of the sub-units (各委室…), the unit and its
   sub-units when the figures say nothing of scope;
4. among what is left, the words of its clause (10 each) and its sentence (1 each) that tell the
   figures' labels apart choose (委员捐款 over 干部职工捐款); none telling them apart, all of them.
The figure is compared with the sum of what it speaks of. When that reading disagrees, the wider
readings are tried in turn (the unit with its sub-units; every figure of the kind), since a draft
may state a total the document splits; a figure that agrees with none ``differs`` from the first.
Qualifiers are read as the genre uses them: 60余篇 agrees with 60 to 69, 157.3万余元 with
1573000–1573999, 54.7万元 with what rounds to it; rules and promises (全年不少于2次) are not
statements of what was done and are not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from taizhang.extract.expressions import FactcheckData, Misworded
from taizhang.extract.scanner import Extraction, Figure
from taizhang.extract.vocabulary import Vocabulary

AGREES, DIFFERS, UNKNOWN = "agrees", "differs", "unknown"
FEN_PER_YUAN = 100
CLAUSE_WEIGHT = 10


@dataclass(frozen=True)
class LedgerFigure:
    """One of the summary's figures, with what each of its records is."""

    key: str
    label: str
    value: float  # as the summary holds it: money in fen
    unit: str
    records: tuple[tuple[str, int], ...]
    codes: tuple[frozenset[str], ...]  # per record: its record type(s) and, for activities, its kind
    scope: str = "own"  # own | sub | mixed: whose records they are

    @property
    def money(self) -> bool:
        return self.unit == "元"

    @property
    def amount(self) -> float:
        """The value in the draft's terms: 元 for money."""
        return self.value / FEN_PER_YUAN if self.money else self.value


@dataclass(frozen=True)
class Check:
    figure: Figure
    status: str
    ledger: tuple[LedgerFigure, ...] = ()  # the figures it was compared with

    @property
    def ledger_value(self) -> int | float | None:
        if not self.ledger:
            return None
        return _plain(sum(f.amount for f in self.ledger))

    @property
    def records(self) -> list[tuple[str, int]]:
        return sorted({r for f in self.ledger for r in f.records})

    def as_dict(self) -> dict:
        f = self.figure
        return {
            "text": f.text,
            "value": f.value,
            "unit": f.unit,
            "subject": f.subject,
            "start": f.start,
            "end": f.end,
            "status": self.status,
            "ledger_value": self.ledger_value,
            "records": [{"type": t, "id": i} for t, i in self.records],
        }


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    misworded: tuple[Misworded, ...]

    def as_dict(self) -> dict:
        return {
            "figures": [c.as_dict() for c in self.checks],
            "expressions": [m.as_dict() for m in self.misworded],
        }


def factcheck(
    text: str, extraction: Extraction, ledger: list[LedgerFigure], vocab: Vocabulary, data: FactcheckData
) -> Report:
    checks = []
    for fig in extraction.figures:
        if fig.category in ("date", "year") or "rule" in fig.classes or fig.value is None:
            continue
        readings = readings_of(fig, ledger, vocab, data)
        if not readings:
            if fig.kind is not None:  # about the ledger, but the summary states nothing of it
                checks.append(Check(fig, UNKNOWN))
            continue
        status, chosen = DIFFERS, readings[0]
        for reading in readings:
            if agrees(fig, sum(f.amount for f in reading)):
                status, chosen = AGREES, reading
                break
        checks.append(Check(fig, status, tuple(chosen)))
    return Report(tuple(checks), tuple(data.misworded(text)))


def readings_of(
    fig: Figure, ledger: list[LedgerFigure], vocab: Vocabulary, data: FactcheckData
) -> list[list[LedgerFigure]]:
    """The sets of ledger figures ``fig`` may speak of, the narrowest reading first."""
    if fig.kind:
        concept = vocab.siblings(fig.kind)
        pool = [f for f in ledger if f.records and all(codes & concept for codes in f.codes)]
    else:
        titles = _titles(fig.clause)
        pool = [f for f in ledger if titles and any(t in f.label for t in titles)]
    pool = [f for f in pool if _same_measure(fig, f, data)]
    if not pool:
        return []
    sub = any(word in fig.context for word in vocab.sub_unit_words)
    scoped = [f for f in pool if f.scope in (("sub" if sub else "own"), "mixed")] or pool
    narrowed = by_words(scoped, fig)
    out: list[list[LedgerFigure]] = []
    for reading in (narrowed, scoped, pool):
        if reading and reading not in out:
            out.append(reading)
    return out


def by_words(candidates: list[LedgerFigure], fig: Figure) -> list[LedgerFigure]:
    """The candidates whose labels the figure's words point to; all when none tells them apart."""
    if len(candidates) <= 1:
        return candidates
    grams = [_bigrams(c.label) for c in candidates]
    common = set.intersection(*grams)
    clause, sentence = _bigrams(fig.clause), _bigrams(fig.context)
    scores = [CLAUSE_WEIGHT * len((g - common) & clause) + len((g - common) & sentence) for g in grams]
    best = max(scores)
    if best == 0:
        return candidates
    return [c for c, s in zip(candidates, scores, strict=True) if s == best]


def agrees(fig: Figure, ledger: float) -> bool:
    """Whether the ledger's value is what the figure says, qualifiers read as the genre does."""
    stated, step = float(fig.value), float(fig.step)
    classes = set(fig.classes) - {"total"}
    tiny = 1e-9
    if "more" in classes:
        return stated - tiny <= ledger < stated + step - tiny
    if "at_least" in classes:
        return ledger >= stated - tiny
    if "about" in classes:
        return abs(ledger - stated) <= step + tiny
    if "nearly" in classes:
        return stated - step - tiny <= ledger <= stated + tiny
    if "below" in classes:
        return ledger <= stated + tiny
    if fig.rounded:
        return abs(ledger - stated) <= step / 2 + tiny
    return abs(ledger - stated) <= tiny


def _same_measure(fig: Figure, ledger: LedgerFigure, data: FactcheckData) -> bool:
    if fig.category == "money" or ledger.money:
        return fig.category == "money" and ledger.money
    if fig.category == "percent" or ledger.unit == "%":
        return fig.category == "percent" and ledger.unit == "%"
    return data.same_measure(fig.unit, ledger.unit)


def _titles(text: str) -> list[str]:
    out, rest = [], text
    while "《" in rest:
        _, _, after = rest.partition("《")
        title, closed, rest = after.partition("》")
        if not closed:
            break
        if title:
            out.append(f"《{title}》")
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)
