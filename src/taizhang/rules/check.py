"""The compliance check: every requirement of a unit (or tree) judged over a period, kept per change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from django.db.models import QuerySet

from taizhang.core import collector, stamps
from taizhang.core.periods import Period
from taizhang.core.registry import stocks
from taizhang.org.models import Unit
from taizhang.rules.counting import not_counted_words
from taizhang.rules.engine import Facts, Result, Results, evaluate, periods_for, window_span
from taizhang.rules.facts import evidence_demanded, facts_for, module_records, records_for
from taizhang.rules.models import Framework
from taizhang.rules.requirements import framework_for, rules_of


def units_of(unit: Unit, *, with_children: bool) -> QuerySet[Unit]:
    if with_children:
        return Unit.objects.filter(path__startswith=unit.path)
    return Unit.objects.filter(pk=unit.pk)


@dataclass
class Check:
    """A compliance check of one unit (or tree) over one period, with what the engine judged."""

    unit: Unit
    window: Period
    as_of: date
    framework: Framework
    unit_kinds: dict[int, str]  # every unit checked: id → kind (what the engine needs of a unit)
    results: Results | list[Result]  # Results as the engine judged them; a list where a page made one
    with_children: bool = False

    @cached_property
    def units(self) -> dict[int, Unit]:
        """The units checked, read when a page or a report first names them (a city's check judges
        ten thousand units without building a model instance for each)."""
        return {u.pk: u for u in units_of(self.unit, with_children=self.with_children)}


def default_as_of(window: Period, today: date | None = None) -> date:
    """Checking a past period judges it as it stood at its end; a current one, as of today."""
    today = today or date.today()
    return min(today, window.end)


def compliance(
    *, unit: Unit, window: Period, as_of: date | None = None, with_children: bool = False
) -> Check:
    """Status of every requirement for ``unit`` (and its subtree) over ``window``: judged once per
    change in the unit's subtree, then read from the cache (``core.stamps``) by every page that
    shows it until the next write there.

    Raises ValueError (message in Chinese) when ``as_of`` is before the window starts.
    """
    as_of = as_of or default_as_of(window)
    if as_of < window.start:
        raise ValueError(f"核查日期 {as_of:%Y-%m-%d} 早于期间{window.label}的开始（{window.start:%Y-%m-%d}）")
    if with_children:
        compute = lambda: _compliance(unit=unit, window=window, as_of=as_of, with_children=True)  # noqa: E731
    else:
        compute = lambda: _own_results(unit=unit, window=window, as_of=as_of)  # noqa: E731
    check = stamps.cached(
        "compliance",
        unit_id=unit.pk,
        parts=(window.code, as_of, with_children),
        compute=compute,
        years=range(window.start.year, window.end.year + 1),
    )
    return check if check.unit is unit else replace(check, unit=unit)


# A subtree this small is judged whole for its top unit's own results (see ``_own_results``).
SHARED_CHECK_UNITS = 50


def _own_results(*, unit: Unit, window: Period, as_of: date) -> Check:
    """The unit's own results. The engine judges each unit on its own facts, so they are the same in
    its subtree's check; for a small subtree that check is read (or made, and kept) instead: the
    unit page, the matrix and the summary then share one judgement per change."""
    if len(_unit_kinds(unit, with_children=True)) > SHARED_CHECK_UNITS:
        return _compliance(unit=unit, window=window, as_of=as_of, with_children=False)
    whole = compliance(unit=unit, window=window, as_of=as_of, with_children=True)
    return replace(
        whole,
        unit_kinds={unit.pk: whole.unit_kinds[unit.pk]},
        results=_of_unit(whole.results, unit.pk),
        with_children=False,
    )


def _unit_kinds(unit: Unit, *, with_children: bool) -> dict[int, str]:
    """The units checked, id → kind, in the units' order. Kept apart from the check and under the
    undated generations only (``years=()``): no activity or attendance written changes the tree of
    units, so the check worked out again after one reads the ledger, not the units."""
    return stamps.cached(
        "unit-kinds",
        unit_id=unit.pk,
        parts=(with_children,),
        compute=lambda: dict(units_of(unit, with_children=with_children).values_list("pk", "kind")),
        years=(),
    )


def _of_unit(results: Results | list[Result], unit: int) -> Results | list[Result]:
    if isinstance(results, Results):
        return results.of_units([unit])
    return [r for r in results if r.unit == unit]  # a check kept before results were kept compactly


@collector.paused()
def _compliance(*, unit: Unit, window: Period, as_of: date, with_children: bool) -> Check:
    framework = framework_for(unit)
    rules = rules_of(framework)
    units_qs = units_of(unit, with_children=with_children)
    unit_kinds = _unit_kinds(unit, with_children=with_children)
    start, end = window_span(rules, window, as_of)
    rate_kinds = {k for r in rules if r.measure == "rate" for k in r.kinds}
    evidence = evidence_demanded(rules)
    kinds = {k for r in rules if r.counts == "activities" for k in r.kinds}
    facts = facts_for(
        units=units_qs,
        start=start,
        end=end,
        rate_kinds=rate_kinds,
        evidence=evidence,
        kinds=kinds,
        folded=False,
    )
    module_rules = [r for r in rules if r.counts in module_records()]
    if module_rules:
        ends = [
            p.end
            for r in module_rules
            if r.counts in stocks()
            for p in periods_for(r, window)
            if p.start <= as_of
        ]
        wanted = {r.counts for r in module_rules}
        # The practice modules' records are not activities: kept apart, they stay current while
        # activities and sign-ins are written (``core.stamps``, no year read).
        module = stamps.cached(
            "module-facts",
            unit_id=unit.pk,
            parts=(with_children, start, end, tuple(sorted(ends)), tuple(sorted(wanted)), as_of),
            compute=lambda: records_for(
                facts=Facts(), units=units_qs, start=start, end=end, ends=ends, wanted=wanted, today=as_of
            ),
            years=(),
        )
        _add_records(facts, module)
    results = evaluate(rules=rules, units=unit_kinds, facts=facts, window=window, as_of=as_of)
    return Check(
        unit=unit,
        window=window,
        as_of=as_of,
        framework=framework,
        unit_kinds=unit_kinds,
        results=results,
        with_children=with_children,
    )


def _add_records(facts: Facts, more: Facts) -> None:
    """``more``'s practice-module records added to ``facts`` (which may hold imported aggregates)."""
    for unit_id, figures in more.records.items():
        per_unit = facts.records.setdefault(unit_id, {})
        for key, (total, bad) in figures.items():
            had_total, had_bad = per_unit.get(key, (0, 0))
            per_unit[key] = (had_total + total, had_bad + bad)
    facts.measurable = facts.measurable | more.measurable


def result_rows(check: Check) -> list[dict]:
    """The JSON shape of a check, as the CLI prints it and the API returns it."""
    many = len(check.unit_kinds) > 1
    rows = []
    for r in check.results:
        row = {
            "requirement": r.requirement,
            "title": r.title,
            "period": r.period.code,
            "required": r.required,
            "actual": r.actual,
            "status": r.status,
            "excluded": r.excluded,
        }
        if r.excluded_reasons:  # what the left-out records lack, in words (rules.counting)
            row["excluded_reasons"] = {not_counted_words([key]): n for key, n in r.excluded_reasons}
        if many:
            row["unit"] = check.units[r.unit].code
        rows.append(row)
    return rows
