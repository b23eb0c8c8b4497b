"""Reads for the ledger workbook: activities by kind, reflections, the roster, and a sheet for each
other record type a summary cites.

A fixed number of queries whatever the number of records: one per table, with the related rows
joined or prefetched. Each record type is read through ``documents.facts.scoped`` (the registry's
unit, date and subset rule), so the sheet lists exactly the records behind the summary's figure.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from taizhang.campaigns.models import Donation, DonationKind
from taizhang.core.periods import Period
from taizhang.documents.facts import scoped
from taizhang.documents.ledger_xlsx import RecordSheet, ReflectionRow, RosterRow, ledger_workbook
from taizhang.documents.queries import activity_records
from taizhang.documents.records import ActivityRecord
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.queries import imported_figures
from taizhang.org.models import Person, Unit
from taizhang.reporting.models import Adoption, Submission
from taizhang.review.queries import with_review_counts


def _scope(model, unit: Unit, with_children: bool, field: str = "unit") -> QuerySet:
    if with_children:
        return model.objects.filter(**{f"{field}__path__startswith": unit.path})
    return model.objects.filter(**{field: unit})


def _name(person) -> str:
    return person.name if person else ""


def _adoption_place(adoption: Adoption) -> str:
    if adoption.publication and adoption.issue_no:
        return f"{adoption.publication}{adoption.issue_year or ''}年第{adoption.issue_no}期"
    return adoption.publication


def record_sheets(*, unit: Unit, period: Period, with_children: bool = False) -> list[RecordSheet]:
    """Each record type's rows in the period, oldest first, one query per table."""

    def rows(code: str) -> QuerySet:  # the records the summary's figure of that type rests on
        return scoped(code, unit, period, with_children=with_children)

    submissions = (
        rows("submissions")
        .select_related("unit", "author")
        .prefetch_related(Prefetch("adoptions", queryset=Adoption.objects.order_by("date", "id")))
        .order_by("date", "id")
    )
    adoptions = rows("adoptions").select_related("submission__unit").order_by("date", "id")
    articles = rows("publicity_articles").select_related("unit", "author").order_by("date", "id")
    drafts = with_review_counts(rows("published_items")).select_related("unit", "author", "channel")
    risks = rows("risk_points").select_related("unit", "owner").order_by("identified_on", "id")
    channels = rows("channels").select_related("unit", "administrator").order_by("opened_on", "id")
    campaigns = rows("campaigns").select_related("unit").order_by("start", "id")
    donations = rows("donations").select_related("unit", "donor", "campaign").order_by("date", "id")
    volunteering = (
        rows("volunteer_activities")
        .select_related("unit", "campaign")
        .annotate(people=Count("participants"))
        .prefetch_related(Prefetch("participants", queryset=Person.all_objects.order_by("id")))
        .order_by("date", "id")
    )
    selections = rows("selections").select_related("unit", "campaign").order_by("date", "id")

    def adopted(submission: Submission) -> str:
        return "；".join(
            f"{a.get_level_display()}{_adoption_place(a) or a.outlet}" for a in submission.adoptions.all()
        )

    def amount(donation: Donation) -> Decimal | None:
        return None if donation.kind == DonationKind.ITEMS else Decimal(donation.amount_fen) / 100

    return [
        RecordSheet(
            "submissions",
            [
                (s.date, s.unit.name, s.get_kind_display(), s.title, _name(s.author), s.target, adopted(s))
                for s in submissions
            ],
        ),
        RecordSheet(
            "adoptions",
            [
                (a.date, a.submission.unit.name, a.submission.title, a.get_level_display(), _adoption_place(a), a.outlet)
                for a in adoptions
            ],
        ),
        RecordSheet(
            "articles",
            [
                (a.date, a.unit.name, a.title, a.outlet, a.get_outlet_level_display(), _name(a.author), a.link)
                for a in articles
            ],
        ),
        RecordSheet(
            "published_items",
            [
                (
                    d.published_on, d.unit.name, d.title, d.channel.name if d.channel else "", _name(d.author),
                    f"{d.approved_stages}审{'，已三审' if d.approved_stages >= 3 and d.approvers >= 3 else ''}",
                )
                for d in drafts.order_by("published_on", "id")
            ],
        ),
        RecordSheet(
            "risk_points",
            [
                (
                    r.identified_on, r.unit.name, r.title, r.get_level_display(), r.measures, _name(r.owner),
                    r.get_status_display(), r.review_date, r.closed_on,
                )
                for r in risks
            ],
        ),
        RecordSheet(
            "channels",
            [
                (
                    c.name, c.unit.name, c.get_kind_display(), _name(c.administrator), c.members_count,
                    c.opened_on, c.registered_on, c.last_reviewed_on,
                )
                for c in channels
            ],
        ),
        RecordSheet(
            "campaigns",
            [(c.start, c.end, c.unit.name, c.title, c.theme, c.description) for c in campaigns],
        ),
        RecordSheet(
            "donations",
            [
                (
                    d.date, d.unit.name, d.get_donor_group_display(), d.donor_name or _name(d.donor),
                    d.get_kind_display(), amount(d), d.item_name, d.item_count, d.item_unit,
                    d.campaign.title if d.campaign else "",
                )
                for d in donations
            ],
        ),
        RecordSheet(
            "volunteer_activities",
            [
                (
                    v.date, v.unit.name, v.title, v.place, v.people,
                    "、".join(p.name for p in sorted(v.participants.all(), key=lambda p: p.pk)), v.hours,
                    v.campaign.title if v.campaign else "",
                )
                for v in volunteering
            ],
        ),
        RecordSheet(
            "selections",
            [
                (s.date, s.unit.name, s.title, "、".join(s.winner_list), s.campaign.title if s.campaign else "")
                for s in selections
            ],
        ),
        *_imported_sheet(unit=unit, period=period, with_children=with_children),
    ]  # fmt: skip


def _imported_sheet(*, unit: Unit, period: Period, with_children: bool) -> list[RecordSheet]:
    """The aggregates imported from past summaries standing in the period, each marked as such and
    whether it counts; no sheet where there are none (most ledgers)."""
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    figures = (
        imported_figures(units=units.values("pk"), start=period.start, end=period.end, replaced=True)
        .select_related("unit")
        .order_by("end", "unit__path", "id")
    )
    rows = [
        (
            Period.parse(f.period).label,
            f.unit.name,
            f.what,
            f.figure_text,
            f.count,
            None if f.amount_fen is None else Decimal(f.amount_fen) / 100,
            f.source_note,
            f.sentence,
            "已由明细记录替代，不计入" if f.replaced else "计入",
        )
        for f in figures
    ]
    return [RecordSheet("imported_figures", rows)] if rows else []


def ledger_export(
    *, unit: Unit, period: Period, with_children: bool = False, personal: bool = False
) -> bytes:
    """The unit's ledger workbook for the period (activity sheets in the framework's kind order).

    The roster leaves phone numbers out unless ``personal`` (an admin of the unit asked for them).
    """
    records = activity_records(scoped("activities", unit, period, with_children=with_children))
    kind_order = list(ActivityKind.objects.order_by("order", "code").values_list("name", flat=True))
    by_kind: dict[str, list[ActivityRecord]] = {}
    for rec in sorted(
        records, key=lambda r: kind_order.index(r.kind_name) if r.kind_name in kind_order else len(kind_order)
    ):
        by_kind.setdefault(rec.kind_name, []).append(rec)
    reflections = [
        ReflectionRow(r.date, r.person.name, r.title, r.activity.topic if r.activity else "")
        for r in scoped("reflections", unit, period, with_children=with_children).select_related(
            "person", "activity"
        )
    ]
    roster = [
        RosterRow(p.name, p.unit.name, p.job_title, p.is_party_member, p.phone if personal else "")
        for p in _scope(Person, unit, with_children).select_related("unit").order_by("unit__path", "id")
    ]
    return ledger_workbook(
        by_kind,
        reflections,
        unit_label=f"{unit.name}{period.label}台账",
        roster=roster,
        personal=personal,
        sheets=record_sheets(unit=unit, period=period, with_children=with_children),
        author=unit.name,
    )
