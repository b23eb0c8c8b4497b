"""Reads over information reporting, the points ranking, and the counting seams.

Seams (wired by the lead into ``frameworks/ideology.yaml``, the engine and the summary):

* ``measure_counts(units=, period=)`` → ``{unit_id: {measure: n}}``, one grouped query per table:
  ``submissions``, ``public_sentiment_submissions``, ``adoptions``, ``adoptions_city_or_higher``,
  ``publicity_articles`` (all levels are county or higher), ``publicity_articles_city_or_higher``,
  ``reporting_points`` (adoption and outlet levels weighted by ``DEFAULT_POINTS``).
* ``monthly_counts(units=, start=, end=, measures=)`` → ``{unit_id: {(measure, 'YYYY-MM'): n}}``:
  the same measures (but points) bucketed by month, for the rules engine; only the tables the
  requested measures need are read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext

from taizhang.core.db import month_of
from taizhang.core.periods import Period
from taizhang.ledger.import_words import only_one
from taizhang.org.models import Unit
from taizhang.reporting.models import Adoption, Article, Level, Submission, SubmissionKind

# Default scoring (考核奖惩): points per adoption and per article by level; a framework may override.
DEFAULT_POINTS: dict[str, dict[str, int]] = {
    "adoption": {Level.COUNTY: 1, Level.CITY: 3, Level.PROVINCE: 5, Level.NATIONAL: 10},
    "article": {Level.COUNTY: 1, Level.CITY: 2, Level.PROVINCE: 4, Level.NATIONAL: 8},
}
ABOVE_COUNTY = (Level.CITY, Level.PROVINCE, Level.NATIONAL)


def _points(field: str, table: dict[str, int]) -> Case:
    return Case(
        *[When(**{field: level}, then=Value(points)) for level, points in table.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _between(period: Period, field: str = "date") -> dict:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def measure_counts(
    *, units: QuerySet[Unit], period: Period, points: dict[str, dict[str, int]] | None = None
) -> dict[int, dict[str, int]]:
    points = points or DEFAULT_POINTS
    ids = units.values("pk")
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Submission.objects.filter(unit__in=ids, **_between(period))
        .values("unit_id")
        .annotate(n=Count("id"), ps=Count("id", filter=Q(kind=SubmissionKind.PUBLIC_SENTIMENT)))
        .order_by()
    ):
        out[row["unit_id"]].update(submissions=row["n"], public_sentiment_submissions=row["ps"])
    for row in (
        Adoption.objects.filter(submission__unit__in=ids, submission__deleted=False, **_between(period))
        .values("submission__unit_id")
        .annotate(
            n=Count("id"),
            high=Count("id", filter=Q(level__in=ABOVE_COUNTY)),
            pts=Sum(_points("level", points["adoption"])),
        )
        .order_by()
    ):
        unit_out = out[row["submission__unit_id"]]
        unit_out.update(adoptions=row["n"], adoptions_city_or_higher=row["high"])
        unit_out["reporting_points"] = unit_out.get("reporting_points", 0) + (row["pts"] or 0)
    for row in (
        Article.objects.filter(unit__in=ids, **_between(period))
        .values("unit_id")
        .annotate(
            n=Count("id"),
            high=Count("id", filter=Q(outlet_level__in=ABOVE_COUNTY)),
            pts=Sum(_points("outlet_level", points["article"])),
        )
        .order_by()
    ):
        unit_out = out[row["unit_id"]]
        unit_out.update(publicity_articles=row["n"], publicity_articles_city_or_higher=row["high"])
        unit_out["reporting_points"] = unit_out.get("reporting_points", 0) + (row["pts"] or 0)
    return dict(out)


MONTHLY_MEASURES = {
    "submissions": "submissions",
    "public_sentiment_submissions": "submissions",
    "adoptions": "adoptions",
    "adoptions_city_or_higher": "adoptions",
    "publicity_articles": "articles",
    "publicity_articles_city_or_higher": "articles",
}


def monthly_counts(
    *, units: QuerySet[Unit], start: date, end: date, measures: set[str] | None = None
) -> dict[int, dict[tuple[str, str], int]]:
    """Counts per unit and month for the rules engine: one grouped query per table a measure needs.

    An adoption belongs to the month it was adopted in (like ``measure_counts``), not the month the
    submission was sent, so a yearly adoption target counts what was adopted in the year.
    """
    wanted = set(MONTHLY_MEASURES) if measures is None else measures & set(MONTHLY_MEASURES)
    tables = {MONTHLY_MEASURES[m] for m in wanted}
    ids = units.values("pk")
    between = {"date__gte": start, "date__lte": end}
    out: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    if "submissions" in tables:
        for unit_id, month, n, ps in (
            Submission.objects.filter(unit__in=ids, **between)
            .annotate(month=month_of("date"))
            .values_list("unit_id", "month")
            .annotate(n=Count("id"), ps=Count("id", filter=Q(kind=SubmissionKind.PUBLIC_SENTIMENT)))
            .order_by()
        ):
            out[unit_id].update({("submissions", month): n, ("public_sentiment_submissions", month): ps})
    if "adoptions" in tables:
        for unit_id, month, n, high in (
            Adoption.objects.filter(submission__unit__in=ids, submission__deleted=False, **between)
            .annotate(month=month_of("date"))
            .values_list("submission__unit_id", "month")
            .annotate(n=Count("id"), high=Count("id", filter=Q(level__in=ABOVE_COUNTY)))
            .order_by()
        ):
            out[unit_id].update({("adoptions", month): n, ("adoptions_city_or_higher", month): high})
    if "articles" in tables:
        for unit_id, month, n, high in (
            Article.objects.filter(unit__in=ids, **between)
            .annotate(month=month_of("date"))
            .values_list("unit_id", "month")
            .annotate(n=Count("id"), high=Count("id", filter=Q(outlet_level__in=ABOVE_COUNTY)))
            .order_by()
        ):
            out[unit_id].update(
                {("publicity_articles", month): n, ("publicity_articles_city_or_higher", month): high}
            )
    return dict(out)


def ranking(*, units: QuerySet[Unit], period: Period) -> list[tuple[Unit, int]]:
    """Units by reporting points, highest first (the periodic 通报 of adoptions)."""
    counts = measure_counts(units=units, period=period)
    rows = [(unit, counts.get(unit.pk, {}).get("reporting_points", 0)) for unit in units]
    return sorted(rows, key=lambda row: (-row[1], row[0].path))


def engine_counts(*, units: QuerySet[Unit], start: date, end: date, codes: set[str], **_) -> dict:
    """The rules engine's counter of this module's types (``core.registry``: ``counter``): per unit,
    ``(code, month) → (records, 0)``; no record of these types fails a check of its own."""
    counts = monthly_counts(units=units, start=start, end=end, measures=codes)
    return {unit_id: {key: (n, 0) for key, n in figures.items()} for unit_id, figures in counts.items()}


def submission_sheet(rows: QuerySet[Submission]) -> QuerySet[Submission]:
    """The ledger workbook's submissions, with their adoptions (its 采用情况 column), oldest first."""
    return (
        rows.select_related("unit", "author")
        .prefetch_related(Prefetch("adoptions", queryset=Adoption.objects.order_by("date", "id")))
        .order_by("date", "id")
    )


def submission_named(unit: Unit, title: str) -> Submission | str:
    """The unit's submission an imported adoption names by its title, or why there is not one."""
    return only_one(
        list(Submission.objects.filter(unit=unit, title=title)),
        none=lambda: (
            gettext("%(name)s没有标题为“%(title)s”的报送信息（可在同一工作簿的“报送信息”表中一并导入）")
            % {"name": unit.name, "title": title}
        ),
        many=lambda count: (
            gettext("%(name)s有 %(count)s 条标题为“%(title)s”的报送信息，无法确定是哪一条")
            % {"name": unit.name, "count": count, "title": title}
        ),
    )
