"""A past summary's figures as aggregates of the ledger (``taizhang import-summary``).

A county that adopts taizhang has years of summaries and no records behind them. Each figure of such
a summary that counts something the ledger counts (开展中心组学习4次, 编发《各界反映》27期,
宣传稿件60余篇, 捐款157.3万余元) becomes one ``ledger.ImportedFigure``: an aggregate that counts in
the engine's checks and in every document, saying where it came from, until detailed records of the
same kind in the same period replace it (the rule is ``ledger.queries.imported_figures``).

The figures are the extractor's (``taizhang.extract``, with the registry's record types in its
vocabulary, as the fact-check reads them): a figure's kind names an activity kind or a record type; a
number of issues of a named publication (《各界反映》27期) is that publication's adoptions, as the
summary itself tells them. What is not an aggregate is left out, with the reason: a rule or a promise
(不少于2次, 每半年1次), a rate, a record type that must be recorded one by one or stands as a state
(channels, risk points), a figure of the sub-units (各委室开展…), a second figure for the same thing, a thing already imported for an
overlapping period, a thing the unit already has detailed records of.

A qualified figure counts as its stated number (60余篇 → 60): the least the summary vouches for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY, record_type
from taizhang.core.uploads import COMMAND, read_document
from taizhang.documents.drafts.queries import vocabulary
from taizhang.extract import Figure, extract
from taizhang.extract.script import simplified
from taizhang.ledger.models import ActivityKind, ImportedFigure, imported_what
from taizhang.ledger.queries import importable, imported_figures
from taizhang.org.models import Unit

SENTENCE_ENDS = "。！？；\n"
SENTENCE_CHARS = 300  # at most this much of a sentence is kept as the figure's context
# The group a donation figure is about, by the nearest of these words before it.
DONOR_WORDS = {"委员": "members", "会员": "members", "干部": "staff", "职工": "staff", "党员": "staff"}
DONORS = {"staff": "干部职工", "members": "委员"}
DONATED = {"money": "捐款", "goods": "捐赠物资"}
QUALIFIED = {"more", "about", "nearly", "at_least", "below"}


@dataclass(frozen=True)
class Aggregate:
    """What one figure would be written as."""

    figure: Figure
    record_type: str
    kind: str
    label: str
    count: int | None
    amount_fen: int | None
    donor_group: str
    sentence: str

    @property
    def key(self) -> tuple[str, ...]:
        """What it is an aggregate of: two aggregates of the same key in one period count twice."""
        if self.record_type == "activities":
            return (self.record_type, self.kind)
        return (self.record_type, self.kind, self.donor_group, self.label)

    @property
    def what(self) -> str:
        return imported_what(self.record_type, self.kind, self.label)

    @property
    def stated(self) -> str:
        """How the table shows what it counts as: 60 (60余篇), 1573000.00元."""
        if self.amount_fen is not None:
            value = f"{Decimal(self.amount_fen) / 100:,.2f}元"
        else:
            value = f"{self.count}{self.figure.unit}"
        qualified = set(self.figure.classes) & QUALIFIED
        return f"按{value}计" if qualified else value


@dataclass(frozen=True)
class LeftOut:
    figure: Figure
    reason: str


@dataclass(frozen=True)
class SeedPlan:
    unit: Unit
    period: Period
    source_name: str
    sha256: str
    aggregates: tuple[Aggregate, ...]
    left_out: tuple[LeftOut, ...]
    dates: int  # dates and years: figures of their own, not counts


def plan_summary_import(*, data: bytes, name: str, unit: Unit, period: Period) -> SeedPlan:
    """What importing the summary ``data`` (a .txt, .md or .docx named ``name``) would write.

    Raises ``FileRefused`` for a file that cannot be read (or breaks a limit), ``ValidationError`` (Chinese) for a period
    that has not ended or a file already imported for the unit and period. Writes nothing.
    """
    if period.end >= timezone.localdate():
        raise ValidationError(
            gettext("期间%(label)s尚未结束：只能导入已结束期间的总结。") % {"label": period.label}
        )
    text = read_document(data, name=name, channel=COMMAND)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = ImportedFigure.objects.filter(unit=unit, period=period.code, source_sha256=sha256)
    if earlier.exists():
        raise ValidationError(
            gettext(
                "“%(name)s”已导入过%(unit)s%(label)s的汇总数（%(count)s 项），不能重复导入；如需重新导入，请先删除已导入的汇总数。"
            )
            % {"name": name, "unit": unit.name, "label": period.label, "count": earlier.count()}
        )
    kinds = dict(ActivityKind.objects.values_list("code", "name"))
    existing = {
        _key_of(f): f
        for f in ImportedFigure.objects.filter(unit=unit, start__lte=period.end, end__gte=period.start)
    }
    aggregates: list[Aggregate] = []
    left_out: list[LeftOut] = []
    dates = 0
    seen: dict[tuple[str, ...], Aggregate] = {}
    vocab = vocabulary()
    for fig in extract(text, vocab).figures:
        if fig.category in ("date", "year"):
            dates += 1
            continue
        target = _aggregate(fig, text, kinds)
        if not isinstance(target, str) and any(word in fig.clause for word in vocab.sub_unit_words):
            target = gettext("说的是下属单位的数字，不能记在本单位：请对各下属单位分别导入")
        if isinstance(target, str):
            left_out.append(LeftOut(fig, target))
        elif target.key in seen:
            first = seen[target.key].figure
            left_out.append(
                LeftOut(
                    fig,
                    gettext("同一事项前文已有数字“%(text)s”（第 %(start)s 字）")
                    % {"text": first.text, "start": first.start},
                )
            )
        elif target.key in existing:
            f = existing[target.key]
            left_out.append(
                LeftOut(
                    fig,
                    gettext("已有%(source_note)s（%(label)s）")
                    % {"source_note": f.source_note, "label": Period.parse(f.period).label},
                )
            )
        else:
            seen[target.key] = target
            aggregates.append(target)
    kept, replaced = _not_replaced(unit, period, aggregates)
    left_out += [LeftOut(a.figure, gettext("本单位本期已有该类明细记录，以明细为准")) for a in replaced]
    left_out.sort(key=lambda x: x.figure.start)
    return SeedPlan(unit, period, name, sha256, tuple(kept), tuple(left_out), dates)


def _aggregate(fig: Figure, text: str, kinds: dict[str, str]) -> Aggregate | str:
    """The aggregate ``fig`` stands for, or why it stands for none."""
    if fig.value is None or fig.missing:
        return gettext("空白，没有数字")
    if "rule" in fig.classes:
        return gettext("是要求或规定（不少于、每半年…），不是已开展的数量")
    if fig.category == "percent":
        return gettext("比率不是记录条数，不能导入")
    subject = simplified(fig.subject)
    if fig.kind in kinds:
        code, kind, label = "activities", fig.kind, kinds[fig.kind]
    elif fig.kind in REGISTRY:
        code, kind, label = fig.kind, "", record_type(fig.kind).name
        why = importable(code)
        if why:
            return why
    elif subject.startswith("《") and fig.unit == "期":
        code, kind, label = "adoptions", "", subject  # issues of a publication, as the summary tells them
    elif subject:
        return gettext("“%(subject)s”不是台账中可计数的事项") % {"subject": fig.subject}
    else:
        return gettext("没有读出所计的事项")
    sentence = _sentence(text, fig)
    money = fig.category == "money"
    if code == "donations":
        group = _donor_group(fig.context)
        if money:
            kind = "goods" if "物" in subject and "款" not in subject else "money"
            label = DONORS.get(group, "") + DONATED[kind]
        else:
            kind, label = "items", subject or "物品"
    elif money:
        return gettext("%(label)s按条数计，不能导入金额") % {"label": label}
    else:
        group = ""
    value = Decimal(str(fig.value))
    if money:
        return Aggregate(fig, code, kind, label, None, int(value * 100), group, sentence)
    if value != value.to_integral_value() or value < 0:
        return gettext("不是整数条数")
    return Aggregate(fig, code, kind, label, int(value), None, group, sentence)


def _donor_group(context: str) -> str:
    found = [(simplified(context).rfind(word), group) for word, group in DONOR_WORDS.items()]
    position, group = max(found)
    return group if position >= 0 else ""


def _sentence(text: str, fig: Figure) -> str:
    """The sentence of the original text the figure stands in."""
    start = max((text.rfind(c, 0, fig.start) for c in SENTENCE_ENDS), default=-1) + 1
    ends = [i for c in SENTENCE_ENDS if (i := text.find(c, fig.end)) >= 0]
    end = min(ends, default=len(text))
    if end < len(text) and text[end] != "\n":
        end += 1  # keep the stop
    start = max(start, fig.start - SENTENCE_CHARS)
    return text[start : min(end, fig.end + SENTENCE_CHARS)].strip()


def _key_of(f: ImportedFigure) -> tuple[str, ...]:
    if f.record_type == "activities":
        return (f.record_type, f.kind)
    return (f.record_type, f.kind, f.donor_group, f.label)


def _rows(plan_unit: Unit, period: Period, aggregates, *, source_name: str, sha256: str, user=None):
    return [
        ImportedFigure(
            unit=plan_unit,
            period=period.code,
            start=period.start,
            end=period.end,
            record_type=a.record_type,
            kind=a.kind,
            label=a.label,
            count=a.count,
            amount_fen=a.amount_fen,
            donor_group=a.donor_group,
            measure=a.figure.unit,
            qualifier=a.figure.qualifier or "",
            figure_text=a.figure.text,
            source_name=source_name,
            source_sha256=sha256,
            sentence=a.sentence,
            position_start=a.figure.start,
            position_end=a.figure.end,
            imported_by=user,
        )
        for a in aggregates
    ]


def _not_replaced(unit: Unit, period: Period, aggregates: list[Aggregate]):
    """The aggregates detailed records would not replace, and those they would: written in a
    savepoint that is rolled back and read through the one rule (``imported_figures``)."""
    if not aggregates:
        return [], []
    with transaction.atomic():
        savepoint = transaction.savepoint()
        rows = ImportedFigure.objects.bulk_create(_rows(unit, period, aggregates, source_name="", sha256=""))
        ids = [r.pk for r in rows]
        replaced = set(
            imported_figures(units=[unit.pk], start=period.end, end=period.end, replaced=True)
            .filter(pk__in=ids, replaced=True)
            .values_list("pk", flat=True)
        )
        transaction.savepoint_rollback(savepoint)
    kept = [a for a, pk in zip(aggregates, ids, strict=True) if pk not in replaced]
    gone = [a for a, pk in zip(aggregates, ids, strict=True) if pk in replaced]
    return kept, gone


def import_summary_plan(plan: SeedPlan, *, user=None) -> list[ImportedFigure]:
    """Write the plan's aggregates (see ``ledger.services.imported_figures_create``)."""
    from taizhang.ledger.services import imported_figures_create

    return imported_figures_create(
        unit=plan.unit,
        period=plan.period,
        sha256=plan.sha256,
        rows=_rows(
            plan.unit,
            plan.period,
            plan.aggregates,
            source_name=plan.source_name,
            sha256=plan.sha256,
            user=user,
        ),
    )
