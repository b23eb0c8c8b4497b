"""Reads for the summary: the document as the ledger stands (built once per change, then cached) and
the records behind each of its figures, for the page's hover."""

from __future__ import annotations

import hashlib
from datetime import date

from django.apps import apps
from django.utils.translation import get_language

from taizhang.core import stamps
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.documents.output.model import Document, Figure
from taizhang.documents.summary import build_summary
from taizhang.documents.summary.facts import default_date, summary_facts
from taizhang.org.models import Unit


def summary_for(
    *,
    unit: Unit,
    period: Period,
    written_on: date | None = None,
    shortcomings: list[str] | None = None,
    next_steps: list[str] | None = None,
) -> Document:
    """The summary as the ledger stands now: the facts of the unit's tree, then the pure builder;
    built once per change in the tree (and wording, date and day), then read from the cache."""
    from taizhang.rules.check import default_as_of

    written_on = written_on or default_date(period)
    wording = None if shortcomings is None and next_steps is None else (shortcomings, next_steps)
    return stamps.cached(
        "summary",
        unit_id=unit.pk,
        parts=(
            period.code,
            default_as_of(period),
            written_on,
            get_language(),
            _digest(wording),
            _wording_files(),
        ),
        compute=lambda: build_summary(
            summary_facts(unit=unit, period=period, written_on=written_on),
            shortcomings=shortcomings,
            next_steps=next_steps,
        ),
        years=range(period.start.year, period.end.year + 1),
    )


def _wording_files() -> str:
    """Which phrase library the summary is written in (its folder and the files' versions): an
    organisation that edits summary.yaml or profiles.yaml reads the new wording at once."""
    from taizhang.core.file_cache import file_times
    from taizhang.core.framework_file import PHRASES_FILE, frameworks_dir, rules_file
    from taizhang.documents.summary.facts import PROFILES_FILE

    folder = frameworks_dir()
    paths = (folder / PHRASES_FILE, folder / PROFILES_FILE, rules_file())
    return _digest([f"{path}:{time}" for path, time in zip(paths, file_times(*paths), strict=True)])


def _digest(value) -> str:
    return hashlib.blake2s(repr(value).encode(), digest_size=12).hexdigest()


def figure_sources(doc: Document, *, unit: Unit) -> dict[str, str]:
    """Figure key → the text naming its records, for the page's hover (one query per record type
    behind the figures); kept until a write in the unit's tree (a record's title may change)."""
    figures = sorted(
        (key, fig.label, fig.value, fig.unit, fig.records, fig.imported) for key, fig in doc.figures.items()
    )
    return stamps.cached(
        "figure-sources",
        unit_id=unit.pk,
        parts=(_digest(figures),),
        compute=lambda: _figure_sources(doc, unit=unit),
    )


def _figure_sources(doc: Document, *, unit: Unit) -> dict[str, str]:
    wanted: dict[str, set[int]] = {}
    for fig in doc.figures.values():
        for record_type, pk in fig.records:
            if record_type in REGISTRY:  # attendance rows: named by their count only
                wanted.setdefault(record_type, set()).add(pk)
    dated = {code: ids for code, ids in wanted.items() if REGISTRY[code].model in stamps.DATED}
    undated = {code: ids for code, ids in wanted.items() if code not in dated}
    # Recording an activity changes the figures, but not the names of the other records behind them:
    # those are kept across activity writes (no year read), and only the activities are read again.
    names = stamps.cached(
        "figure-names",
        unit_id=unit.pk,
        parts=(_digest(sorted((code, sorted(ids)) for code, ids in undated.items())),),
        compute=lambda: _record_names(undated),
        years=(),
    )
    names = {**names, **_record_names(dated)}

    def records(fig: Figure) -> str:
        # records by name, then aggregates of past summaries by where they came from
        shown = [names[ref] for ref in fig.records if ref in names] + list(fig.imported)
        others = sum(1 for ref in fig.records if ref not in names and ref[0] != "imported_figures")
        if others:
            shown.append(f"另有考勤等记录 {others} 条")
        return "\n".join(shown)

    return {
        key: f"{fig.label}：{fig.value}{fig.unit}\n" + (records(fig) or "无记录")
        for key, fig in doc.figures.items()
    }


def _record_names(wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """(record type, id) → how the hover names the record: one query per record type."""
    names: dict[tuple[str, int], str] = {}
    for record_type, ids in wanted.items():
        declared = REGISTRY[record_type]
        model = apps.get_model(declared.model)
        for pk, day, title in model.all_objects.filter(pk__in=ids).values_list(
            "id", declared.date_field, declared.title_field
        ):
            names[(record_type, pk)] = f"{declared.name} #{pk} {day:%Y-%m-%d} {title}".rstrip()
    return names
