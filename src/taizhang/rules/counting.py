"""Whether a record counts toward the requirements that read it, and if not, what it lacks.

A clerk who saves a 中心组学习 without its minutes must see, where the record is entered, shown or
imported, that the matrix will not count it, and why. The decision is the engine's own
(``engine.reads_activity``, ``engine.missing_evidence``: the same evidence test the check makes on
a record's evidence bits); this module gathers what a record carries and says it in words, in one
place (``not_counted_words``), so the form, the record page, the list, the import's check, the
API and the matrix never word it differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext, pgettext, pgettext_lazy

from taizhang.core.i18n import localized
from taizhang.ledger.models import Activity, Attachment, Attendance
from taizhang.org.models import Unit
from taizhang.rules.engine import EVIDENCE_BITS, Rule, missing_evidence, reads_activity
from taizhang.rules.models import Framework
from taizhang.rules.requirements import Vocabulary, kept_vocabulary

# Inside a sentence ("未计入：缺少会议记录", "Not counted: no minutes"): their own context, lower case in English.
EVIDENCE_NAMES = {
    "minutes": pgettext_lazy("evidence", "会议记录"),
    "attendance": pgettext_lazy("evidence", "考勤"),
    "attachment": pgettext_lazy("evidence", "附件"),
}


def not_counted_words(missing: Iterable[str]) -> str:
    """The words for a record left out because it lacks ``missing`` (evidence names, or an engine
    reason key such as ``"attendance+minutes"``): "未计入：缺少会议记录、考勤"; "计入" when nothing is."""
    names = set()
    for item in missing:
        names.update(part for part in item.split("+") if part)
    if not names:
        return gettext("计入")
    what = pgettext("list separator", "、").join(
        str(EVIDENCE_NAMES[name]) for name in EVIDENCE_BITS if name in names
    )
    return gettext("未计入：缺少%(what)s") % {"what": what}


def rule_title(rule: Rule) -> str:
    """A requirement's title in the page's language."""
    return localized(rule.title, rule.title_en)


@dataclass(frozen=True)
class Standing:
    """One requirement that reads a record, and the evidence the record lacks for it."""

    rule: Rule
    missing: tuple[str, ...]

    @property
    def counts(self) -> bool:
        return not self.missing

    @property
    def words(self) -> str:
        return not_counted_words(self.missing)


@dataclass(frozen=True)
class RecordStanding:
    """Every requirement that reads one record; none: no requirement of its unit counts its kind."""

    standings: tuple[Standing, ...]

    @property
    def counts(self) -> bool:
        """Counted by every requirement that reads it (and read by one at least)."""
        return bool(self.standings) and all(s.counts for s in self.standings)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in EVIDENCE_BITS if any(name in s.missing for s in self.standings))

    @property
    def words(self) -> str:
        """What a list row says: "计入", "未计入：缺少会议记录", or that no requirement reads it."""
        if not self.standings:
            return gettext("无考核要求计数此类活动")
        return not_counted_words(self.missing)

    @property
    def left_out_of(self) -> list[Rule]:
        return [s.rule for s in self.standings if not s.counts]


def carried_evidence(*, minutes: str, has_attendance: bool, has_attachment: bool) -> set[str]:
    """The evidence names a record carries, as the check tests them (``rules.facts._evidence_mask``:
    minutes not empty, at least one attendance row, at least one attachment)."""
    carried = set()
    if minutes:
        carried.add("minutes")
    if has_attendance:
        carried.add("attendance")
    if has_attachment:
        carried.add("attachment")
    return carried


def _frameworks(units: Iterable[Unit], vocabulary: Vocabulary) -> dict[int, Framework]:
    """Unit id → the framework version its check follows (``rules.requirements.framework_for``): the
    pin on its nearest ancestor (itself included), else the default."""
    out = {}
    for unit in units:
        chain = [int(x) for x in unit.path.strip("/").split("/") if x]
        out[unit.pk] = next(
            (vocabulary.pins[pk] for pk in reversed(chain) if pk in vocabulary.pins), vocabulary.default
        )
    return out


class Counting:
    """The requirements of some units' frameworks, read once, to judge any number of their records."""

    def __init__(self, units: Iterable[Unit]):
        self.units = {u.pk: u for u in units}
        vocabulary = kept_vocabulary()
        self.framework_of = _frameworks(self.units.values(), vocabulary)
        self.rules: dict[int, list[Rule]] = vocabulary.rules
        # (framework, unit kind, activity kind, evidence carried) → the standing: a page's fifty
        # records share a few, and each asked every rule of its framework whether it reads it
        self._judged: dict[tuple, RecordStanding] = {}

    def of(self, *, unit: Unit, kind: str, carried: set[str]) -> RecordStanding:
        framework = self.framework_of.get(unit.pk)
        key = (framework.pk if framework else None, unit.kind, kind, frozenset(carried))
        standing = self._judged.get(key)
        if standing is None:
            rules = self.rules.get(framework.pk, []) if framework else []
            standing = self._judged[key] = RecordStanding(
                tuple(
                    Standing(rule, missing_evidence(rule, carried))
                    for rule in rules
                    if reads_activity(rule, unit_kind=unit.kind, kind=kind)
                )
            )
        return standing


def with_evidence(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """``activities`` annotated with what ``activity_standing`` reads (no query per row)."""
    return activities.annotate(
        has_attendance=Exists(Attendance.objects.filter(activity=OuterRef("pk"))),
        has_attachment=Exists(Attachment.objects.filter(activity=OuterRef("pk"))),
    )


def _carried(activity: Activity) -> set[str]:
    # annotated (``with_evidence``), else read through the prefetched rows when there are some
    has_attendance = getattr(activity, "has_attendance", None)
    if has_attendance is None:
        has_attendance = bool(activity.attendances.all())
    has_attachment = getattr(activity, "has_attachment", None)
    if has_attachment is None:
        has_attachment = bool(activity.attachments.all())
    return carried_evidence(
        minutes=activity.minutes, has_attendance=has_attendance, has_attachment=has_attachment
    )


def activity_standing(activity: Activity, counting: Counting | None = None) -> RecordStanding:
    """Whether a stored activity counts toward each requirement of its unit that reads its kind
    (``counting``: the requirements already read for its unit, when judging many)."""
    if counting is None or activity.unit_id not in counting.units:
        counting = Counting([activity.unit])
    return counting.of(unit=activity.unit, kind=activity.kind.code, carried=_carried(activity))


def standings_of(activities: Iterable[Activity]) -> dict[int, RecordStanding]:
    """Activity id → its standing, for a page of activities (read ``with_evidence``): the
    requirements are read once for all their units."""
    activities = list(activities)
    counting = Counting({a.unit_id: a.unit for a in activities}.values())
    return {a.pk: activity_standing(a, counting) for a in activities}


def planned_standings(unit: Unit, planned: Iterable) -> list[RecordStanding]:
    """The standing of each activity an import would write (``ledger.imports.PlannedActivity``: its
    kind, minutes and attendance; an import brings no attachment), in the plan's order."""
    counting = Counting([unit])
    return [
        counting.of(
            unit=unit,
            kind=row.kind.code,
            carried=carried_evidence(
                minutes=row.minutes, has_attendance=bool(row.attendance), has_attachment=False
            ),
        )
        for row in planned
    ]


def tally(standings: Iterable[RecordStanding]) -> tuple[int, int, int, list[tuple[str, int]]]:
    """(counted, left out, read by no requirement, [(reason in words, records)]) over ``standings``:
    what an import's check says of the rows it would write."""
    counted = left_out = unread = 0
    reasons: Counter[str] = Counter()
    for standing in standings:
        if not standing.standings:
            unread += 1
        elif standing.counts:
            counted += 1
        else:
            left_out += 1
            reasons[not_counted_words(standing.missing)] += 1
    return counted, left_out, unread, sorted(reasons.items(), key=lambda item: (-item[1], item[0]))


def standing_rows(standing: RecordStanding) -> list[dict]:
    """The API's shape of a record's standing: one object per requirement that reads it."""
    return [
        {
            "requirement": s.rule.code,
            "title": rule_title(s.rule),
            "counts": s.counts,
            "missing": list(s.missing),
            "words": s.words,
        }
        for s in standing.standings
    ]


def needs_by_kind(unit: Unit) -> dict[str, str]:
    """Activity kind code → what the form says a record of that kind needs to count for ``unit``:
    the evidence its requirements demand, or that none reads the kind (the activity form shows the
    line of the kind chosen, before the clerk saves)."""
    from taizhang.ledger.models import ActivityKind

    counting = Counting([unit])
    out = {}
    for code in ActivityKind.objects.values_list("code", flat=True):
        standing = counting.of(unit=unit, kind=code, carried=set())
        if not standing.standings:
            out[code] = gettext("本单位没有计数此类活动的考核要求。")
        elif standing.missing:
            what = pgettext("list separator", "、").join(
                str(EVIDENCE_NAMES[name]) for name in standing.missing
            )
            out[code] = gettext("有%(what)s才计入考核要求。") % {"what": what}
        else:
            out[code] = gettext("登记即计入考核要求。")
    return out
