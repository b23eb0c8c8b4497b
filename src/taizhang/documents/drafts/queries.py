"""Reads for drafts and templates: a hand-written draft checked against the ledger, a blank template
filled from it. The ledger's side is the summary's figures (``summary_for``), each record known by
what it is (its record type, the registry's subsets it falls in, an activity's kind) and whose it is
(the unit or a sub-unit): one query per table behind the figures, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps

from taizhang.core.framework_file import frameworks_dir
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.documents.drafts.factcheck import LedgerFigure, Report, factcheck, readings_of
from taizhang.documents.summary.queries import summary_for
from taizhang.extract import Extraction, Figure, Vocabulary, extract, load_vocabulary
from taizhang.extract.expressions import FactcheckData, load_factcheck
from taizhang.ledger.models import ImportedFigure
from taizhang.org.models import Unit


def vocabulary() -> Vocabulary:
    """The framework folder's extraction words, with every record type the registry declares."""
    return load_vocabulary(frameworks_dir(), record_types={code: t.name for code, t in REGISTRY.items()})


def factcheck_data() -> FactcheckData:
    return load_factcheck(frameworks_dir())


def ledger_figures(*, unit: Unit, period: Period) -> list[LedgerFigure]:
    """The summary's figures for the unit and period, each record classified."""
    doc = summary_for(unit=unit, period=period)
    wanted: dict[str, set[int]] = defaultdict(set)
    for fig in doc.figures.values():
        for record_type, pk in fig.records:
            wanted[record_type].add(pk)
    codes: dict[tuple[str, int], frozenset[str]] = {}
    owner: dict[tuple[str, int], int | None] = {}
    for table, ids in wanted.items():
        if table == "imported_figures":  # an aggregate is what it was imported as
            for pk, unit_id, code, kind in ImportedFigure.all_objects.filter(pk__in=ids).values_list(
                "pk", "unit_id", "record_type", "kind"
            ):
                codes[(table, pk)] = frozenset({code, REGISTRY[code].table, *((kind,) if kind else ())})
                owner[(table, pk)] = unit_id
            continue
        declared = REGISTRY.get(table)
        if declared is None:  # rows the summary counts that no module declares (attendance)
            for pk in ids:
                codes[(table, pk)] = frozenset({table})
            continue
        model = apps.get_model(declared.model)
        manager = getattr(model, "all_objects", model._default_manager)
        # a type whose kinds the extraction words name (activities): each record is also of its kind
        extra = declared.kind_field if declared.kind_words else None
        fields = ("pk", declared.unit_field, *((extra,) if extra else ()))
        found: dict[int, set[str]] = {}
        for pk, unit_id, *kind in manager.filter(pk__in=ids).values_list(*fields):
            found[pk] = {table, *(k for k in kind if k)}
            owner[(table, pk)] = unit_id
        for code, subset in REGISTRY.items():
            if subset.base == table and subset.where:
                for pk in manager.filter(pk__in=ids, **subset.where).values_list("pk", flat=True).distinct():
                    found.setdefault(pk, {table}).add(code)
        for pk in ids:
            codes[(table, pk)] = frozenset(found.get(pk, {table}))
    out = []
    for fig in doc.figures.values():
        units = {owner.get(ref) for ref in fig.records if ref in owner}
        if not units or units == {unit.pk}:
            scope = "own"
        elif unit.pk in units:
            scope = "mixed"
        else:
            scope = "sub"
        out.append(
            LedgerFigure(
                key=fig.key,
                label=fig.label,
                value=fig.value,
                unit=fig.unit,
                records=tuple(fig.records),
                codes=tuple(codes[ref] for ref in fig.records),
                scope=scope,
            )
        )
    return out


def factcheck_for(*, text: str, unit: Unit, period: Period) -> tuple[Extraction, Report]:
    """The draft's figures and the fact-check of those that speak of the ledger."""
    vocab = vocabulary()
    extraction = extract(text, vocab)
    return extraction, factcheck(
        text, extraction, ledger_figures(unit=unit, period=period), vocab, factcheck_data()
    )


def fill_values(blanks: list[Figure], *, unit: Unit, period: Period) -> list[str | None]:
    """For each blank, the text that fills it from the ledger (with its measure word), or None.

    A blank is read as the fact-check reads a figure (``readings_of``), and filled with the
    narrowest reading; a year's blank takes the period's year.
    """
    from taizhang.core.money import format_yuan_about

    vocab, data = vocabulary(), factcheck_data()
    ledger = ledger_figures(unit=unit, period=period) if any(b.kind != "year" for b in blanks) else []
    out: list[str | None] = []
    for blank in blanks:
        if blank.kind == "year":
            out.append(f"{period.year}年")
            continue
        readings = readings_of(blank, ledger, vocab, data)
        if not readings:
            out.append(None)
            continue
        chosen = readings[0]
        total = sum(f.value for f in chosen)
        if chosen[0].money:
            out.append(format_yuan_about(int(total)))
        else:
            shown = str(int(total)) if float(total).is_integer() else f"{total:.1f}"
            out.append(f"{shown}{blank.unit}")
    return out
