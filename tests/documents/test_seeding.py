"""A past summary seeding an empty unit's ledger (``taizhang import-summary``), as a county adopting
taizhang does: the CPPCC seed's figures become aggregates that count in the compliance check and in
the summary, say where they came from, and give way to detailed records."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core.periods import Period
from taizhang.documents.drafts.queries import factcheck_for
from taizhang.documents.output.formats import explain
from taizhang.documents.summary import counted
from taizhang.documents.summary.facts import summary_facts
from taizhang.documents.summary.queries import summary_for
from taizhang.documents.workbook.queries import ledger_export
from taizhang.ledger.models import ActivityKind, ImportedFigure
from taizhang.ledger.services import activity_create, imported_figure_delete, imported_figure_restore
from taizhang.org.models import UnitKind
from taizhang.org.services import unit_create
from taizhang.rules.check import compliance
from taizhang.rules.requirements import rules_of
from tests.conftest import SEEDS

YEAR = Period.parse("2020")
pytestmark = pytest.mark.django_db
# What the CPPCC seed says the organ did in 2020 (its own words, counted by a reader).
SEED_ACTIVITIES = {
    "central_group_study": 4,
    "seminar": 2,
    "collective_study": 8,
    "cell_study": 6,
    "theme_day": 6,
}


@pytest.fixture
def seed(seed_texts):
    """The CPPCC seed's path (the tests read it where it lies)."""
    name = next(name for name in seed_texts if name.startswith("000_"))
    return SEEDS / name


@pytest.fixture
def organ(db):
    return unit_create(code="seeded", name="某县政协机关", kind=UnitKind.ORGAN)


def _import(seed, unit, *extra: str, period: str = "2020") -> str:
    out = io.StringIO()
    call_command("import-summary", str(seed), "--unit", unit.code, "--period", period, *extra, stdout=out)
    return out.getvalue()


def _actual(check, requirement: str) -> float:
    return sum(r.actual for r in check.results if r.requirement == requirement)


def test_the_seed_counts_in_the_check_and_the_summary(seed, organ):
    said = _import(seed, organ)
    assert "已导入某县政协机关2020年 12 项汇总数" in said
    check = compliance(unit=organ, window=YEAR)
    for kind, n in SEED_ACTIVITIES.items():
        assert _actual(check, kind) == n, kind
    assert _actual(check, "information_adoption") == 27 + 3
    assert _actual(check, "publicity_articles") == 60
    # the aggregate stands in the period's last month: the fourth quarter's study is met, the first not
    quarters = {r.period.code: r.status for r in check.results if r.requirement == "central_group_study"}
    assert quarters == {"2020Q1": "overdue", "2020Q2": "overdue", "2020Q3": "overdue", "2020Q4": "met"}

    facts = summary_facts(unit=organ, period=YEAR)
    for kind, n in SEED_ACTIVITIES.items():
        assert counted(r for r in facts.records["activities"] if r.kind == kind) == n
    doc = summary_for(unit=organ, period=YEAR)
    text = "\n".join(b.text for b in doc.blocks)
    assert "理论学习中心组学习4次" in text and "集中学习8次" in text and "主题党日6次" in text
    assert "编入《各界反映》27期" in text and "《政协调研》3期" in text
    assert "宣传稿件60余篇" in text  # the seed's 60余篇, not a made-up exact number
    assert "委员捐款157.3万元" in text and "捐赠口罩5600个" in text
    # --explain names the source under each figure that rests on it
    lines = explain(doc)
    assert (
        f"理论学习中心组学习次数 = 4次  ← 导入的汇总数 #{ImportedFigure.objects.get(kind='central_group_study').pk}"
        in lines
    )
    assert f"据《{seed.name}》导入，汇总数（2020年：理论学习中心组学习4次）" in lines


def test_the_engine_and_the_facts_count_the_same_aggregates(seed, organ):
    """As tests/documents/test_summary.py checks for detailed records: what the engine counts per rule
    is what the summary's facts hold for that rule, imported aggregates included."""
    _import(seed, organ)
    facts = summary_facts(unit=organ, period=YEAR)
    check = compliance(unit=organ, window=YEAR)
    rules = {r.code: r for r in rules_of(check.framework)}
    compared = 0
    for result in check.results:
        rule = rules[result.requirement]
        if rule.measure != "count" or result.status == "not_measured":
            continue
        if rule.counts == "activities":
            recs = [a for a in facts.records["activities"] if a.kind in rule.kinds]
        elif rule.counts in ("adoptions", "publicity_articles"):
            recs = list(facts.records[rule.counts])
        else:
            continue
        p = result.period
        assert result.actual == counted(r for r in recs if p.start <= r.day <= p.end), (rule.code, p.code)
        compared += 1
    assert compared >= 20


def test_detailed_records_replace_the_aggregate_of_their_kind(seed, organ):
    _import(seed, organ)
    activity_create(
        unit=organ,
        kind=ActivityKind.objects.get(code="central_group_study"),
        date=date(2020, 5, 6),
        topic="学习党的十九届四中全会精神",
        minutes="记录",
    )
    check = compliance(unit=organ, window=YEAR)
    # counted, or left out for want of attendance: either way the detailed record, not the aggregate
    quarters = {
        r.period.code: r.actual + r.excluded for r in check.results if r.requirement == "central_group_study"
    }
    assert quarters == {"2020Q1": 0, "2020Q2": 1, "2020Q3": 0, "2020Q4": 0}
    assert _actual(check, "collective_study") == 8  # the other kinds still count as imported
    doc = summary_for(unit=organ, period=YEAR)
    # one 中心组学习 in a year of quarterly ones is not stated bare among the achievements: 存在的问题
    # says the rule was not kept
    assert "study.central_group_study" not in doc.figures and "理论学习中心组学习1次" not in doc.text
    problems = doc.text[doc.text.index("存在的问题") :]
    assert "理论学习中心组学习" in problems
    assert doc.figures["study.collective_study"].value == 8
    book = openpyxl.load_workbook(io.BytesIO(ledger_export(unit=organ, period=YEAR)))
    rows = {r[3]: r[-1] for r in book["导入的汇总数"].iter_rows(min_row=2, values_only=True)}
    assert rows["理论学习中心组学习"] == "已由明细记录替代，不计入"
    assert rows["集中学习"] == "计入"
    assert rows["信息采用：《各界反映》"] == "计入"


def test_a_deleted_aggregate_stops_counting_until_restored(seed, organ):
    _import(seed, organ)
    figure = ImportedFigure.objects.get(unit=organ, kind="theme_day")
    imported_figure_delete(figure=figure)
    assert _actual(compliance(unit=organ, window=YEAR), "theme_day") == 0
    imported_figure_restore(figure=ImportedFigure.all_objects.get(pk=figure.pk))
    assert _actual(compliance(unit=organ, window=YEAR), "theme_day") == 6
    assert figure.history.count() == 3  # created, deleted, restored


def test_dry_run_shows_what_and_writes_nothing(seed, organ):
    said = _import(seed, organ, "--dry-run")
    assert ImportedFigure.all_objects.count() == 0
    assert "试运行" in said and "未写入" in said
    assert "理论学习中心组学习" in said and "信息采用：《各界反映》" in said
    # the rules it states (不少于2次, 每半年召开1次) are not work done
    assert said.count("是要求或规定") == 3


def test_the_same_file_twice_is_refused_and_overlapping_periods_are_not_counted_twice(seed, organ):
    _import(seed, organ)
    with pytest.raises(CommandError, match="不能重复导入"):
        _import(seed, organ)
    said = _import(seed, organ, "--dry-run", period="2020H2")
    assert "没有可写入的汇总数" in said and "已有据《" in said
    assert ImportedFigure.objects.filter(unit=organ).count() == 12


def test_a_unit_with_detailed_records_keeps_them(seed, cppcc):
    said = _import(seed, cppcc, "--dry-run")
    assert "没有可写入的汇总数" in said and "本单位本期已有该类明细记录，以明细为准" in said


def test_a_period_not_yet_ended_is_refused(seed, organ):
    with pytest.raises(CommandError, match="尚未结束"):
        _import(seed, organ, period=str(date.today().year))


def test_the_seed_agrees_with_the_ledger_it_seeded(seed, organ, seed_texts):
    _import(seed, organ)
    _, report = factcheck_for(text=seed.read_text(encoding="utf-8"), unit=organ, period=YEAR)
    assert len(report.checks) == 12 and {c.status for c in report.checks} == {"agrees"}


def test_the_admin_lists_deletes_and_restores_an_aggregate(seed, organ, admin_client):
    _import(seed, organ)
    figure = ImportedFigure.objects.get(unit=organ, kind="seminar")
    listing = admin_client.get("/admin/ledger/importedfigure/").content.decode()
    assert "专题研讨" in listing and seed.name in listing
    admin_client.post(
        "/admin/ledger/importedfigure/", {"action": "delete_imported", "_selected_action": [figure.pk]}
    )
    assert not ImportedFigure.objects.filter(pk=figure.pk).exists()
    assert _actual(compliance(unit=organ, window=YEAR), "seminar") == 0
    admin_client.post(
        "/admin/ledger/importedfigure/", {"action": "restore_imported", "_selected_action": [figure.pk]}
    )
    assert _actual(compliance(unit=organ, window=YEAR), "seminar") == 2


def test_the_units_page_lists_the_aggregates_and_deletes_one_restorably(seed, organ, admin_client, client):
    _import(seed, organ)
    unit_page = admin_client.get(f"/org/units/{organ.code}/").content.decode()
    assert "/ledger/imported/?unit=seeded" in unit_page
    page = admin_client.get("/ledger/imported/", {"unit": organ.code}).content.decode()
    assert "理论学习中心组学习" in page and f"据《{seed.name}》导入，汇总数" in page and "计数" in page
    figure = ImportedFigure.objects.get(unit=organ, kind="cell_study")
    admin_client.post("/ledger/imported/", {"figure": figure.pk, "action": "delete"})
    assert _actual(compliance(unit=organ, window=YEAR), "cell_study") == 0
    assert "已删除" in admin_client.get("/ledger/imported/", {"unit": organ.code}).content.decode()
    admin_client.post("/ledger/imported/", {"figure": figure.pk, "action": "restore"})
    assert _actual(compliance(unit=organ, window=YEAR), "cell_study") == 6


def test_a_clerk_of_another_unit_neither_sees_nor_deletes_them(seed, organ, cppcc_clerk):
    _import(seed, organ)
    figure = ImportedFigure.objects.get(unit=organ, kind="cell_study")
    assert "理论学习中心组学习" not in cppcc_clerk.get("/ledger/imported/").content.decode()
    refused = cppcc_clerk.post("/ledger/imported/", {"figure": figure.pk, "action": "delete"})
    assert refused.status_code == 404 and ImportedFigure.objects.filter(pk=figure.pk).exists()


def test_the_summary_page_names_the_source_on_hover(seed, organ, admin_client):
    _import(seed, organ)
    page = admin_client.get(f"/documents/summary/{organ.code}/2020/").content.decode()
    figures = re.findall(r'<span class="figure" tabindex="0" title="([^"]*)">([^<]*)<span', page)
    study = [title for title, text in figures if text == "4次"]
    assert study and all(f"据《{seed.name}》导入，汇总数" in t and "另有" not in t for t in study)


def test_a_sub_units_figure_is_left_out_and_a_subset_counts_for_its_table_too(organ, tmp_path):
    draft = tmp_path / "2019年总结.txt"
    draft.write_text(
        "2019年，机关开展中心组学习5次。各委室开展集中学习12次，报送社情民意信息20条。", encoding="utf-8"
    )
    said = _import(draft, organ, period="2019")
    assert "说的是下属单位的数字" in said
    assert not ImportedFigure.objects.filter(unit=organ, kind="collective_study").exists()
    year = Period.parse("2019")
    check = compliance(unit=organ, window=year)
    assert _actual(check, "public_sentiment") == 20 and _actual(check, "collective_study") == 0
    text = "\n".join(b.text for b in summary_for(unit=organ, period=year).blocks)
    assert "报送社情民意信息20条" in text and "中心组学习5次" in text


def test_the_unit_page_and_ledger_counts_count_the_aggregates_as_the_check_does(seed, organ, admin_client):
    """The unit page's table of kinds, its monthly columns and ``taizhang ledger counts`` agree with
    the rings beside them (the engine): an imported 4次 is 4 in the table, in its period's last month."""
    from django.urls import reverse

    from tests.html import table

    _import(seed, organ)
    html = admin_client.get(
        reverse("org:unit-detail", args=[organ.code]), {"period": "2020"}
    ).content.decode()
    rows = {row[0]: row for row in table(html, "counts")}
    header = rows["活动类型"]
    names = dict(ActivityKind.objects.values_list("code", "name"))
    for kind, n in SEED_ACTIVITIES.items():
        assert rows[names[kind]][1] == str(n), kind
        assert rows[names[kind]][header.index("12月")] == str(n), (
            kind
        )  # filed in December, as the engine files it
    total = sum(SEED_ACTIVITIES.values())
    assert f"按活动类型统计（共 {total} 次）" in html and f"其中 {total} 次是从往年总结导入的汇总数" in html

    out = io.StringIO()
    call_command("ledger", "counts", "--unit", organ.code, "--period", "2020", "--json", stdout=out)
    assert json.loads(out.getvalue()) == SEED_ACTIVITIES
