"""A unit's to-do list: tasks, requirements missed or falling due, and high risks waiting for review."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language, gettext

from taizhang.core import stamps
from taizhang.core.i18n import localized
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.org.models import Person, Post, Task, TaskStatus, Unit
from taizhang.org.queries import post_holders
from taizhang.risks import queries as risk_queries
from taizhang.rules.check import Check, compliance, units_of
from taizhang.rules.engine import MET, NOT_MEASURED, OVERDUE, Rule
from taizhang.rules.requirements import rules_of


@dataclass(frozen=True)
class TodoItem:
    """One line of a unit's to-do list: an open task, a requirement missed or falling due, a risk."""

    kind: str  # "task" | "requirement" | "risk"
    title: str
    due: date
    overdue: bool
    unit: Unit
    person: Person | None = None
    detail: str = ""
    requirement: str = ""
    responsible: str = ""
    # Who holds the ``responsible`` post in the unit now (for a line that names no person itself).
    holders: tuple[Person, ...] = ()
    # a requirement's line: the rule and the period it was missed or falls due in
    rule: Rule | None = None
    period: Period | None = None

    @property
    def responsible_label(self) -> str:
        """The post that answers for it, when no one holding that post is recorded in the unit."""
        return str(dict(Post.choices).get(self.responsible, ""))

    @property
    def record_url(self) -> str:
        """Where to record the missing work: the activity form with the unit and the kind chosen, or
        the list of the record type the requirement counts (its page has the 新增 button)."""
        if self.kind != "requirement" or self.rule is None:
            return ""
        if self.rule.kinds:
            query = urlencode({"unit": self.unit.code, "kind": self.rule.kinds[0]})
            return f"{reverse('ledger:activity-create')}?{query}"
        entry = REGISTRY.get(self.rule.counts)
        name = entry.list_url if entry is not None else ""
        return f"{reverse(name)}?{urlencode({'unit': self.unit.code})}" if name else ""


def requirement_line(rule: Rule, period: Period) -> str:
    """A requirement in one period, as a to-do line names it, in the page's language."""
    return gettext("%(title)s（%(period)s）") % {
        "title": localized(rule.title, rule.title_en),
        "period": period.display,
    }


def todo_for(
    *,
    unit: Unit,
    today: date | None = None,
    days: int = 30,
    with_children: bool = True,
    check: Check | None = None,
    year: int | None = None,
) -> list[TodoItem]:
    """What a unit must see to: the requirement periods of the year it has already missed and those
    falling due within ``days`` unmet, open tasks overdue or due within ``days``, and open high risks
    past their review date; overdue first, then oldest first.

    Requirements are judged over ``year`` (default: the year containing ``today``) as of ``today``,
    or as of the year's end when it is a past year (then every unmet period is missed). A high risk
    whose review date has passed is listed as overdue for its owner until it is reviewed (a new
    review date) or mitigated: it is the one risk a leader must not leave waiting.

    ``check``: the compliance check of that year as of that day, when the caller has already made
    it (the unit page, the dashboard); it must be that check.

    Kept per unit, day, year and language (its lines are worded) until a write in the unit's subtree.
    """
    today = today or date.today()
    return stamps.cached(
        "todo",
        unit_id=unit.pk,
        parts=(today, days, with_children, year, get_language()),
        compute=lambda: _todo_for(
            unit=unit, today=today, days=days, with_children=with_children, check=check, year=year
        ),
        years=[today.year],
    )


def _todo_for(
    *, unit: Unit, today: date, days: int, with_children: bool, check: Check | None, year: int | None
) -> list[TodoItem]:
    window = Period(year, "year") if year is not None else Period.containing("year", today)
    as_of = min(today, window.end)
    horizon = as_of + timedelta(days=days)
    items: list[TodoItem] = []
    subtree = units_of(unit, with_children=with_children)
    tasks = (
        Task.objects.filter(unit__in=subtree.values("pk"), status=TaskStatus.OPEN)
        .filter(due__lte=horizon)
        .select_related("unit", "person", "requirement")
    )
    if window.end < today:  # a past year: its own tasks
        tasks = tasks.filter(due__gte=window.start)
    for task in tasks:
        items.append(
            TodoItem(
                kind="task",
                title=task.title,
                due=task.due,
                overdue=task.due < as_of,
                unit=task.unit,
                person=task.person,
                requirement=task.requirement.code if task.requirement else "",
            )
        )
    if window.end >= today:  # what is overdue now
        for risk in risk_queries.overdue_high_risks(subtree, day=today):
            items.append(
                TodoItem(
                    kind="risk",
                    title=gettext("高风险点逾期未研判：%(title)s") % {"title": risk.title},
                    due=risk.review_date,
                    overdue=True,
                    unit=risk.unit,
                    person=risk.owner,
                    detail=gettext("应于 %(day)s 前再次研判") % {"day": f"{risk.review_date:%Y-%m-%d}"},
                    requirement="high_risks_reviewed",
                    responsible="leader_in_charge",
                )
            )
    wanted = (unit.pk, window, as_of, with_children)
    if check is None or (check.unit.pk, check.window, check.as_of, check.with_children) != wanted:
        check = compliance(unit=unit, window=window, as_of=as_of, with_children=with_children)
    rules = {rule.code: rule for rule in rules_of(check.framework)}
    ends: dict[Period, date] = {}  # a city's check is some 100,000 results over a few periods
    for result in check.results:
        if result.status in (MET, NOT_MEASURED):
            continue
        end = ends.get(result.period)
        if end is None:
            end = ends[result.period] = result.period.end
        deadline = min(result.due, end) if result.due else end
        missed = result.status == OVERDUE
        if not missed and not (as_of <= deadline <= horizon):
            continue
        rule = rules.get(result.requirement)
        items.append(
            TodoItem(
                kind="requirement",
                title=requirement_line(rule, result.period) if rule else result.title,
                due=deadline,
                overdue=missed,
                unit=check.units[result.unit],
                detail=(
                    gettext("%(actual)s%%，目标 %(required)s%%")  # a rate is a share, not a count
                    if rule and rule.measure == "rate"
                    else gettext("应完成 %(required)s，已完成 %(actual)s")
                )
                % {"required": f"{result.required:g}", "actual": f"{result.actual:g}"},
                requirement=result.requirement,
                responsible=rule.responsible if rule else "",
                rule=rule,
                period=result.period,
            )
        )
    holders = post_holders(unit_ids={item.unit.pk for item in items if item.responsible}, day=today)
    items = [
        replace(item, holders=tuple(holders.get((item.unit.pk, item.responsible), ())))
        if item.responsible and item.person is None
        else item
        for item in items
    ]
    return sorted(items, key=lambda item: (not item.overdue, item.due, item.title))


def missed_together(items: list[TodoItem]) -> list[tuple[TodoItem, list[TodoItem]]]:
    """A to-do list's lines with the later missed periods of the same requirement in the same unit
    folded under its oldest one (a monthly rule missed all year is one line naming eleven months,
    not eleven lines): ``[(line, later lines), …]`` in the list's own order."""
    rows: list[tuple[TodoItem, list[TodoItem]]] = []
    first: dict[tuple[int, str], list[TodoItem]] = {}
    for item in items:
        if item.kind == "requirement" and item.overdue and item.requirement:
            key = (item.unit.pk, item.requirement)
            if key in first:
                first[key].append(item)
                continue
            first[key] = []
            rows.append((item, first[key]))
        else:
            rows.append((item, []))
    return rows


def responsible_people(*, unit: Unit, post: str) -> list[Person]:
    """Who holds ``post`` in ``unit`` now (the addressee of a requirement's reminder)."""
    return list(
        Person.objects.filter(
            positions__unit=unit, positions__post=post, positions__end__isnull=True, positions__deleted=False
        )
        .select_related("user")
        .distinct()
    )
