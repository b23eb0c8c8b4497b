"""The pure engine: statuses, pace within a period, and period arithmetic properties."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from taizhang.core.periods import KINDS, Period
from taizhang.rules.engine import (
    BEHIND,
    MET,
    NOT_MEASURED,
    ON_TRACK,
    OVERDUE,
    Facts,
    Rule,
    evaluate,
    evidence_mask,
    judge,
    months_of,
    periods_for,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
kinds = st.sampled_from(KINDS)


def facts_with(unit: int, kind: str, months: dict[str, int], signature=("minutes",)) -> Facts:
    facts = Facts()
    facts.activities[unit] = {(kind, m, evidence_mask(signature)): n for m, n in months.items()}
    return facts


def test_monthly_rule_over_a_year_reports_the_missing_month_as_overdue():
    rule = Rule(code="micro", title="微党课", period="month", min=1, kinds=("micro_lesson",))
    months = {f"2020-{m:02d}": 1 for m in range(1, 13) if m != 2}
    results = evaluate(
        rules=[rule],
        units={7: "branch"},
        facts=facts_with(7, "micro_lesson", months),
        window=Period.parse("2020"),
        as_of=date(2020, 12, 31),
    )
    by_period = {r.period.code: r.status for r in results}
    assert len(results) == 12
    assert by_period["2020-02"] == OVERDUE
    assert {s for code, s in by_period.items() if code != "2020-02"} == {MET}


def test_yearly_rule_mid_year_is_on_track_at_half_pace_and_behind_below_it():
    rule = Rule(code="s", title="专题研究", period="year", min=2, kinds=("ideology_session",))
    window = Period.parse("2020H1")
    one = evaluate(
        rules=[rule],
        units={1: "organ"},
        facts=facts_with(1, "ideology_session", {"2020-03": 1}),
        window=window,
        as_of=date(2020, 6, 30),
    )
    none = evaluate(rules=[rule], units={1: "organ"}, facts=Facts(), window=window, as_of=date(2020, 6, 30))
    assert [r.status for r in one] == [ON_TRACK]
    assert [r.status for r in none] == [BEHIND]
    assert none[0].gap == 2


def test_document_due_date_makes_it_overdue_before_the_year_ends():
    rule = Rule(
        code="wp",
        title="工作要点",
        period="year",
        min=1,
        measure="document",
        kinds=("work_points",),
        due="03-31",
    )
    before = evaluate(
        rules=[rule], units={1: "organ"}, facts=Facts(), window=Period.parse("2020Q1"), as_of=date(2020, 3, 1)
    )
    after = evaluate(
        rules=[rule], units={1: "organ"}, facts=Facts(), window=Period.parse("2020H1"), as_of=date(2020, 4, 1)
    )
    assert before[0].status == ON_TRACK
    assert after[0].status == OVERDUE


def test_records_without_required_evidence_are_excluded_with_a_reason():
    rule = Rule(code="c", title="中心组", period="quarter", min=1, kinds=("cgs",), evidence=("minutes",))
    facts = Facts()
    facts.activities[1] = {("cgs", "2020-01", evidence_mask([])): 2}
    [result] = evaluate(
        rules=[rule], units={1: "organ"}, facts=facts, window=Period.parse("2020Q1"), as_of=date(2020, 3, 31)
    )
    assert result.actual == 0 and result.excluded == 2
    assert result.status == OVERDUE
    assert result.excluded_reasons == (("minutes", 2),)


def test_rate_and_per_person_and_unmeasurable_record_types():
    rate = Rule(code="r", title="出勤率", period="half", min=80, measure="rate", kinds=("cgs",))
    person = Rule(code="p", title="体会", period="year", min=1, measure="per_person", counts="reflections")
    missing = Rule(code="x", title="三审", period="half", min=100, measure="every", counts="published_items")
    facts = Facts()
    facts.attendance[1] = {("cgs", "2020-01"): (9, 10), ("cgs", "2020-02"): (5, 10)}
    facts.per_person[1] = {("reflections", "2020-05"): {11: 1, 12: 2}}
    facts.members[1] = 2
    results = evaluate(
        rules=[rate, person, missing],
        units={1: "organ"},
        facts=facts,
        window=Period.parse("2020"),
        as_of=date(2020, 12, 31),
    )
    status = {(r.requirement, r.period.code): (r.actual, r.status) for r in results}
    assert status[("r", "2020H1")] == (70.0, OVERDUE)
    assert status[("r", "2020H2")] == (0, OVERDUE)
    assert status[("p", "2020")] == (2, MET)
    assert status[("x", "2020H1")][1] == NOT_MEASURED


def test_every_rule_counts_violations_and_calls_no_record_met():
    three = Rule(code="t", title="三审", period="quarter", min=100, measure="every", counts="published_items")
    board = Rule(code="c", title="备案", period="half", min=100, measure="every", counts="channels")
    facts = Facts(measurable=frozenset({"published_items", "channels"}))
    facts.records[1] = {
        ("published_items", "2020-02"): (3, 0),
        ("published_items", "2020-05"): (2, 1),
        # channels are a state: the figure filed under a period's last month is read, not a sum
        ("channels", "2020-03"): (9, 9),
        ("channels", "2020-06"): (4, 1),
    }

    def judged(as_of: date) -> dict:
        results = evaluate(
            rules=[three, board],
            units={1: "organ", 2: "organ"},
            facts=facts,
            window=Period.parse("2020H1"),
            as_of=as_of,
        )
        return {(r.unit, r.requirement, r.period.code): (r.required, r.actual, r.status) for r in results}

    closed = judged(date(2020, 6, 30))
    assert closed[(1, "t", "2020Q1")] == (3, 3, MET)
    assert closed[(1, "t", "2020Q2")] == (2, 1, OVERDUE)
    assert closed[(1, "c", "2020H1")] == (4, 3, OVERDUE)
    # nothing published, no channel: nothing violated
    assert closed[(2, "t", "2020Q2")] == (0, 0, MET) and closed[(2, "c", "2020H1")] == (0, 0, MET)
    # a violation in an open period can still be put right: behind, not overdue
    assert judged(date(2020, 5, 20))[(1, "t", "2020Q2")] == (2, 1, BEHIND)
    # min is the share that must pass: 50% of 2 items is 1
    half = Rule(code="h", title="半数", period="quarter", min=50, measure="every", counts="published_items")
    [q2] = [
        r
        for r in evaluate(
            rules=[half],
            units={1: "organ"},
            facts=facts,
            window=Period.parse("2020H1"),
            as_of=date(2020, 6, 30),
        )
        if r.period.code == "2020Q2"
    ]
    assert (q2.required, q2.actual, q2.status) == (1, 1, MET)


def test_count_rules_over_module_records_sum_their_months():
    rule = Rule(code="a", title="稿件", period="year", min=10, counts="publicity_articles")
    facts = Facts(measurable=frozenset({"publicity_articles"}))
    facts.records[1] = {("publicity_articles", "2020-01"): (4, 0), ("publicity_articles", "2020-07"): (3, 0)}
    [mid] = evaluate(
        rules=[rule], units={1: "organ"}, facts=facts, window=Period.parse("2020H1"), as_of=date(2020, 6, 30)
    )
    assert (mid.actual, mid.status) == (4, BEHIND)  # half the year gone, fewer than half of 10
    [end] = evaluate(
        rules=[rule], units={1: "organ"}, facts=facts, window=Period.parse("2020"), as_of=date(2020, 12, 31)
    )
    assert (end.actual, end.status) == (7, OVERDUE)


def test_rules_apply_only_to_the_unit_kinds_they_name():
    rule = Rule(code="m", title="微党课", period="month", min=1, applies_to=("branch",))
    results = evaluate(
        rules=[rule],
        units={1: "organ", 2: "branch"},
        facts=Facts(),
        window=Period.parse("2020-03"),
        as_of=date(2020, 3, 31),
    )
    assert [r.unit for r in results] == [2]


@given(day=days, kind=kinds, window_kind=kinds)
def test_judged_periods_cover_the_window_or_contain_it(day, kind, window_kind):
    window = Period.containing(window_kind, day)
    rule = Rule(code="x", title="x", period=kind, min=1)
    periods = periods_for(rule, window)
    assert all(p.kind == kind for p in periods)
    if len(periods) > 1 or periods[0].days < window.days:
        assert periods[0].start == window.start and periods[-1].end == window.end
        assert all(a.next() == b for a, b in pairwise(periods))
    else:
        assert periods[0].covers(window)


@given(day=days, kind=kinds, offset=st.integers(min_value=0, max_value=400))
def test_months_begun_by_as_of_are_a_prefix_of_the_period(day, kind, offset):
    period = Period.containing(kind, day)
    as_of = period.start + timedelta(days=offset)
    months = months_of(period, as_of)
    every = [m.code for m in period.split("month")]
    assert months == every[: len(months)]
    assert len(months) >= 1
    if as_of >= period.end:
        assert months == every


@given(
    day=days,
    kind=kinds,
    required=st.integers(min_value=1, max_value=20),
    actual=st.integers(min_value=0, max_value=20),
    offset=st.integers(min_value=0, max_value=400),
)
def test_status_is_monotone_in_the_count_and_final_once_closed(day, kind, required, actual, offset):
    period = Period.containing(kind, day)
    as_of = period.start + timedelta(days=offset)
    status = judge(required=required, actual=actual, period=period, as_of=as_of)
    assert (status == MET) == (actual >= required)
    if as_of >= period.end:
        assert status in (MET, OVERDUE)
    else:
        assert status != OVERDUE
        # one more record never makes it worse
        better = judge(required=required, actual=actual + 1, period=period, as_of=as_of)
        order = [BEHIND, ON_TRACK, MET]
        assert order.index(better) >= order.index(status)
    # the first day of a period is never behind: nothing could have been expected yet
    if required > 1 and period.days > 1:
        assert judge(required=required, actual=0, period=period, as_of=period.start) == ON_TRACK


# -- the fast path against a plain reading of the rules ------------------------------------------

_KINDS = ("a", "b", "c")
_EVIDENCE = ("minutes", "attendance", "attachment")


def _reference(rules, units, facts, window, as_of):
    """Each cell gathered on its own, as the rules read: the facts of the rule's kinds in the months
    of the period begun by as_of, those with all the evidence counted, the others left out."""
    out = []
    for unit, unit_kind in units.items():
        for rule in rules:
            if rule.applies_to and unit_kind not in rule.applies_to:
                continue
            for period in periods_for(rule, window):
                if period.start > as_of:
                    continue
                counted, reasons = 0, {}
                needed = set(rule.evidence)
                for kind in rule.kinds:
                    for month in months_of(period, as_of):
                        for (k, m, mask), n in facts.activities.get(unit, {}).items():
                            if (k, m) != (kind, month):
                                continue
                            carried = {name for name in _EVIDENCE if mask & evidence_mask([name])}
                            missing = [name for name in sorted(_EVIDENCE) if name in needed - carried]
                            if not missing:
                                counted += n
                                continue
                            reason = "+".join(missing)
                            reasons[reason] = reasons.get(reason, 0) + n
                due = date(period.year, *map(int, rule.due.split("-"))) if rule.due else None
                status = judge(required=rule.min, actual=counted, period=period, as_of=as_of, due=due)
                out.append(
                    (
                        unit,
                        rule.code,
                        period.code,
                        counted,
                        status,
                        sum(reasons.values()),
                        sorted(reasons.items()),
                    )
                )
    return out


rules_strategy = st.lists(
    st.builds(
        lambda i, period, minimum, kinds, evidence, applies, due: Rule(
            code=f"r{i}",
            title=f"规则{i}",
            period=period,
            min=minimum,
            kinds=tuple(kinds),
            evidence=tuple(evidence),
            applies_to=tuple(applies),
            due=due,
            measure="document" if due else "count",
        ),
        st.integers(0, 99),
        kinds,
        st.integers(1, 6),
        st.lists(st.sampled_from(_KINDS), min_size=1, max_size=2, unique=True),
        st.lists(st.sampled_from(_EVIDENCE), max_size=3, unique=True),
        st.lists(st.sampled_from(("organ", "branch")), max_size=1),
        st.sampled_from(("", "", "03-31")),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda r: r.code,
)


@given(
    rules=rules_strategy,
    counts=st.dictionaries(
        st.tuples(st.integers(1, 3), st.sampled_from(_KINDS), st.integers(1, 12), st.integers(0, 7)),
        st.integers(1, 4),
        max_size=30,
    ),
    window_kind=kinds,
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 12, 31)),
    offset=st.integers(0, 200),
)
def test_every_count_cell_equals_a_plain_reading_of_its_rule(rules, counts, window_kind, day, offset):
    window = Period.containing(window_kind, day)
    as_of = window.start + timedelta(days=offset)
    facts = Facts()
    for (unit, kind, month, mask), n in counts.items():
        facts.activities.setdefault(unit, {})[(kind, f"2020-{month:02d}", mask)] = n
    units = {1: "organ", 2: "branch", 3: "organ"}
    results = evaluate(rules=rules, units=units, facts=facts, window=window, as_of=as_of)
    got = [
        (r.unit, r.requirement, r.period.code, r.actual, r.status, r.excluded, sorted(r.excluded_reasons))
        for r in results
    ]
    assert got == _reference(rules, units, facts, window, as_of)
