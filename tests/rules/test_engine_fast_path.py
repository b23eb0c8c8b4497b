"""The engine's compiled path (cells worked out once per unit kind, facts scattered into them) gives
exactly what judging each unit × requirement × period on its own, the slow way, gives.

The slow way is written here from what the engine's docstrings promise, one cell at a time, so a
shortcut of the fast path (a result copied from a unit with nothing, a sum scattered instead of
gathered, a status inlined) that changes an answer anywhere in a varied random city fails here.
"""

from __future__ import annotations

import copy
import math
import pickle
import random
from datetime import date, timedelta

import pytest

from taizhang.core.periods import Period
from taizhang.core.registry import stocks
from taizhang.rules.engine import (
    BEHIND,
    MET,
    NOT_MEASURED,
    ON_TRACK,
    OVERDUE,
    Facts,
    Result,
    Rollup,
    Rule,
    due_date,
    evaluate,
    evidence_mask,
    judge,
    months_of,
    periods_for,
)

KINDS = ["study", "seminar", "lesson", "meeting", "report"]
UNIT_KINDS = ["organ", "branch", "cell", "party_group"]
MODULE_RECORDS = ["submissions", "published_items", "channels", "high_risks"]
EVIDENCE = ["attachment", "attendance", "minutes"]


def straightforward(rules: list[Rule], units: dict[int, str], facts: Facts, window: Period, as_of: date):
    out = []
    for unit, unit_kind in units.items():
        for rule in rules:
            if rule.applies_to and unit_kind not in rule.applies_to:
                continue
            for period in periods_for(rule, window):
                if period.start <= as_of:
                    out.append(_cell(rule, unit, period, facts, as_of))
    return out


def _cell(rule: Rule, unit: int, period: Period, facts: Facts, as_of: date) -> Result:
    due = due_date(rule, period)
    months = months_of(period, as_of)
    deadline = min(due, period.end) if due else period.end
    closed = as_of >= deadline

    def result(required, actual, status, excluded=0, reasons=()):
        return Result(unit, rule.code, rule.title, period, required, actual, status, excluded, reasons, due)

    if rule.counts not in facts.measurable:
        return result(rule.min, 0, NOT_MEASURED)
    if rule.measure == "rate":
        present = expected = 0
        for kind in rule.kinds:
            for month in months:
                p, d = facts.attendance.get(unit, {}).get((kind, month), (0, 0))
                present, expected = present + p, expected + d
        if expected == 0:
            return result(rule.min, 0, OVERDUE if closed else ON_TRACK)
        rate = round(100.0 * present / expected, 1)
        return result(rule.min, rate, MET if rate >= rule.min else (OVERDUE if closed else BEHIND))
    if rule.measure == "per_person":
        members = facts.members.get(unit, 0)
        totals: dict[int, int] = {}
        for month in months:
            for person, n in facts.per_person.get(unit, {}).get((rule.counts, month), {}).items():
                totals[person] = totals.get(person, 0) + n
        actual = sum(1 for n in totals.values() if n >= rule.min)
        return result(
            members, actual, judge(required=members, actual=actual, period=period, as_of=as_of, due=due)
        )
    if rule.counts == "activities":
        needed = evidence_mask(rule.evidence)
        counted, left_out = 0, {}
        for (kind, month, mask), n in facts.activities.get(unit, {}).items():
            if kind not in rule.kinds or month not in months:
                continue
            if mask & needed == needed:
                counted += n
                continue
            # left out under the evidence it lacks, names in alphabetical order joined by "+"
            missing = "+".join(name for name in EVIDENCE if name in rule.evidence and not mask & _bit(name))
            left_out[missing] = left_out.get(missing, 0) + n
        status = judge(required=rule.min, actual=counted, period=period, as_of=as_of, due=due)
        return result(rule.min, counted, status, sum(left_out.values()), tuple(sorted(left_out.items())))
    records = facts.records.get(unit, {})
    if rule.counts in stocks():
        total, bad = records.get((rule.counts, f"{period.end:%Y-%m}"), (0, 0))
    else:
        total = bad = 0
        for month in months:
            n, b = records.get((rule.counts, month), (0, 0))
            total, bad = total + n, bad + b
    if rule.measure != "every":
        return result(
            rule.min, total, judge(required=rule.min, actual=total, period=period, as_of=as_of, due=due)
        )
    required = math.ceil(total * rule.min / 100 - 1e-9)
    passed = total - bad
    return result(float(required), passed, MET if passed >= required else (OVERDUE if closed else BEHIND))


def _bit(name: str) -> int:
    return evidence_mask([name])


def random_rules(rng: random.Random) -> list[Rule]:
    rules = []
    for i in range(rng.randint(3, 14)):
        counts = rng.choice(["activities"] * 5 + ["reflections", "unmeasured", *MODULE_RECORDS])
        if counts == "activities":
            measure = rng.choice(["count", "count", "count", "rate", "document"])
        elif counts == "reflections":
            measure = "per_person"
        elif counts in ("published_items", "channels", "high_risks"):
            measure = rng.choice(["every", "count"])
        else:
            measure = "count"
        rules.append(
            Rule(
                code=f"r{i}",
                title=f"要求{i}",
                period=rng.choice(["year", "half", "quarter", "month"]),
                min=rng.choice([1, 2, 3, 80.0, 95.0])
                if measure in ("rate", "every")
                else rng.choice([1, 2, 4, 6]),
                measure=measure,
                kinds=tuple(rng.sample(KINDS, rng.randint(1, 2))) if counts == "activities" else (),
                counts=counts,
                due=rng.choice(["", "", "03-31", "06-30", "11-15"]) if measure == "document" else "",
                applies_to=tuple(rng.sample(UNIT_KINDS, rng.randint(0, 3))),
                evidence=tuple(rng.sample(EVIDENCE, rng.randint(0, 2))),
            )
        )
    return rules


def random_city(rng: random.Random, year: int) -> tuple[dict[int, str], Facts]:
    units = {u: rng.choice(UNIT_KINDS) for u in rng.sample(range(1, 500), rng.randint(1, 40))}
    facts = Facts(measurable=frozenset({"activities", "reflections", *rng.sample(MODULE_RECORDS, 3)}))
    months = [f"{y}-{m:02d}" for y in (year - 1, year, year + 1) for m in range(1, 13)]
    for unit in units:
        if rng.random() < 0.2:
            continue  # a unit with nothing recorded
        facts.members[unit] = rng.randint(0, 6)
        for _ in range(rng.randint(0, 30)):
            kind, month = rng.choice(KINDS), rng.choice(months)
            facts.activities.setdefault(unit, {})[(kind, month, rng.randrange(8))] = rng.randint(1, 3)
            if rng.random() < 0.4:
                due = rng.randint(0, 9)
                facts.attendance.setdefault(unit, {})[(kind, month)] = (rng.randint(0, due), due)
        for _ in range(rng.randint(0, 4)):
            people = facts.per_person.setdefault(unit, {}).setdefault(("reflections", rng.choice(months)), {})
            people[rng.randint(1, 6)] = rng.randint(1, 3)
        for _ in range(rng.randint(0, 5)):
            total = rng.randint(0, 5)
            facts.records.setdefault(unit, {})[(rng.choice(MODULE_RECORDS), rng.choice(months))] = (
                total,
                rng.randint(0, total),
            )
    return units, facts


def with_rollup_rows(rng: random.Random, units: dict[int, str], facts: Facts, year: int) -> Facts:
    """Rows of the monthly rollup as ``facts_for(folded=False)`` leaves them, for the judged units and
    a few others, in unit order or not, some adding to what the dicts hold for the same key."""
    kind_ids = {kind: 10 + i for i, kind in enumerate(KINDS)}
    months = [f"{year}-{m:02d}" for m in range(1, 13)] * 3 + [f"{year - 1}-12", f"{year + 1}-01"]
    rows = {}
    for unit in [*units, *rng.sample(range(500, 600), 3)]:
        for _ in range(rng.randint(0, 25)):
            key = (unit, kind_ids[rng.choice(KINDS)], rng.choice(months), rng.randrange(8))
            due = rng.choice([0, rng.randint(1, 9)])
            rows[key] = (rng.randint(0, 3), rng.randint(0, due), due)
    ordered = [(*key, *figures) for key, figures in sorted(rows.items())]
    if rng.random() < 0.3:
        rng.shuffle(ordered)
    rated = rng.choice([None, frozenset(rng.sample(sorted(kind_ids.values()), 3))])
    facts.rollup = Rollup(rows=ordered, kinds={i: kind for kind, i in kind_ids.items()}, rated=rated)
    return facts


@pytest.mark.parametrize("seed", range(60))
def test_the_compiled_path_judges_a_random_city_as_one_cell_at_a_time(seed):
    rng = random.Random(seed)
    year = rng.choice([2019, 2020, 2021])
    window = Period.parse(
        rng.choice([f"{year}", f"{year}H{rng.randint(1, 2)}", f"{year}Q{rng.randint(1, 4)}"])
    )
    as_of = window.start + timedelta(days=rng.randint(0, (window.end - window.start).days + 40))
    rules = random_rules(rng)
    units, facts = random_city(rng, year)
    if seed % 2:
        facts = with_rollup_rows(rng, units, facts, year)
    fast = evaluate(rules=rules, units=units, facts=facts, window=window, as_of=as_of)
    slow = straightforward(rules, units, copy.deepcopy(facts).fold(), window, as_of)
    assert len(fast) == len(slow)
    for got, expected in zip(fast, slow, strict=True):
        assert got == expected
        assert type(got.actual) is type(expected.actual)  # 0 and 0.0 print differently
        assert type(got.required) is type(expected.required)
    # kept in the results cache and read back, or read a cell at a time, or one unit's: the same
    assert pickle.loads(pickle.dumps(fast)) == slow
    for index in rng.sample(range(len(slow)), min(5, len(slow))):
        assert fast[index] == slow[index] and fast[index - len(slow)] == slow[index]
    unit = rng.choice(list(units))
    assert list(fast.of_units([unit])) == [r for r in slow if r.unit == unit]


def test_a_cell_the_slow_way_is_what_a_clerk_counts():
    """The slow way itself, on one unit: two studies with minutes count, one without is left out."""
    rule = Rule(code="s", title="学习", period="quarter", min=3, kinds=("study",), evidence=("minutes",))
    facts = Facts()
    facts.activities[1] = {("study", "2020-01", 1): 2, ("study", "2020-02", 0): 1}
    (cell,) = straightforward([rule], {1: "organ"}, facts, Period.parse("2020Q1"), date(2020, 3, 31))
    assert (cell.actual, cell.status, cell.excluded, cell.excluded_reasons) == (
        2,
        OVERDUE,
        1,
        (("minutes", 1),),
    )
