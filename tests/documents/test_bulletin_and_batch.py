"""The bulletin ranks a tree's units; the batch writes one summary per unit of the tree."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx.enum.text import WD_ALIGN_PARAGRAPH

from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.documents.bulletin.build import UnitRow, build_bulletin, issuing_office
from taizhang.documents.bulletin.queries import bulletin_for
from taizhang.documents.output.formats import render
from taizhang.documents.output.gbt9704 import text_ems
from taizhang.org.models import Unit, UnitKind
from taizhang.org.services import person_create, unit_create
from taizhang.reporting import queries as reporting_queries
from taizhang.reporting.models import Level, Submission
from taizhang.reporting.services import adoption_create, article_create, submission_create

from .conftest import read_docx

H1 = Period.parse("2020H1")


def _ranked(doc) -> list[str]:
    return [b.text for b in doc.blocks if b.text[:1].isdigit()]


def test_the_organs_bulletin_ranks_its_offices_on_their_own_records(cppcc):
    """Issue 10: peers, not the organ against its own offices; the offices have records to rank."""
    doc = bulletin_for(root=cppcc, period=H1)
    offices = Unit.objects.filter(parent=cppcc)
    ranked = _ranked(doc)
    assert len(ranked) == offices.count() == 5
    assert not any(line.split("：")[0].endswith(cppcc.name) for line in ranked)
    assert doc.recipients == "各委室："
    # Each office's figures are its own records in the period, named by id.
    for position, line in enumerate(ranked, start=1):
        office = next(o for o in offices if f" {o.name}" in line.split("：")[0])
        submissions = doc.figures[f"unit.{position}.submissions"]
        assert set(submissions.record_ids) == set(
            Submission.objects.filter(unit=office, date__range=(H1.start, H1.end)).values_list(
                "id", flat=True
            )
        )
        points = reporting_queries.measure_counts(units=Unit.objects.filter(pk=office.pk), period=H1)
        assert doc.figures[f"unit.{position}.points"].value == points.get(office.pk, {}).get(
            "reporting_points", 0
        )
    assert [doc.figures[f"unit.{i}.points"].value for i in range(1, 6)] == sorted(
        (doc.figures[f"unit.{i}.points"].value for i in range(1, 6)), reverse=True
    )
    assert doc.figures["unit.1.points"].value > 0  # somebody scored: not five zeros


def test_units_level_on_every_measure_share_a_rank_listed_as_tied(cppcc):
    doc = bulletin_for(root=cppcc, period=H1)
    numbers = [line.split(".")[0] for line in _ranked(doc)]
    assert numbers == ["1", "2", "2", "4", "5"]  # the demo's two committees are level on everything
    tied = [line for line in _ranked(doc) if "（并列）" in line]
    assert [line.split(".")[0] for line in tied] == ["2", "2"]
    assert tied[0].split("：", 1)[1] == tied[1].split("：", 1)[1]  # the same figures, word for word


def test_bulletin_ranks_by_points_then_adoptions_then_submissions(db):
    """A small tree: points first; level on points, more adoptions first; then submissions.

    The issuing department is not ranked; a sub-unit's own sub-units count with it.
    """
    root = unit_create(code="b-root", name="某县委宣传部", kind=UnitKind.REGION)
    units = {
        name: unit_create(code=f"b-{i}", name=name, kind=UnitKind.ORGAN, parent=root)
        for i, name in enumerate(["甲单位", "乙单位", "丙单位", "丁单位", "戊单位"])
    }
    day = date(2020, 3, 2)

    def submit(unit, n, level=None):
        author = person_create(unit=unit, name=f"{unit.name}联络员{n}")
        sub = submission_create(unit=unit, author=author, date=day, kind="public_sentiment", title=f"信息{n}")
        if level:
            adoption_create(submission=sub, level=level, publication="《简报》", date=day)

    submit(units["甲单位"], 1, Level.CITY)  # 3 points from one adoption
    for n in range(3):
        submit(units["乙单位"], n, Level.COUNTY)  # 3 points from three adoptions: ahead of 甲
    office = unit_create(code="b-0-office", name="丙单位办公室", kind=UnitKind.OFFICE, parent=units["丙单位"])
    for n in range(5):
        article_create(unit=office, date=day, title=f"稿件{n}", outlet="县电视台", outlet_level=Level.COUNTY)
    submit(units["丁单位"], 1)  # submitted, nothing adopted: no points, ahead of 戊 on submissions
    submit(root, 9, Level.NATIONAL)  # the department's own: not ranked against those it writes to

    doc = bulletin_for(root=root, period=H1, written_on=date(2020, 7, 10))
    ranked = [line.split("：")[0] for line in _ranked(doc)]
    assert ranked == ["1. 丙单位", "2. 乙单位", "3. 甲单位", "4. 丁单位", "5. 戊单位"]
    assert [doc.figures[f"unit.{r}.points"].value for r in range(1, 6)] == [5, 3, 3, 0, 0]
    assert doc.figures["unit.1.articles"].value == 5  # 丙's office's articles count for 丙
    assert doc.figures["unit.2.adoptions"].value == 3 and doc.figures["unit.3.adoptions"].value == 1
    assert doc.recipients == "各单位："
    silent = next(line for line in doc.text.split("二、有关要求")[1].splitlines() if "没有信息报送" in line)
    assert silent.startswith("戊单位本期没有信息报送")
    assert doc.title == "关于2020年上半年意识形态工作信息报送及开展情况的通报"


def test_a_few_peers_of_different_kinds_are_named_and_a_unit_without_any_is_refused(db):
    root = unit_create(code="c-root", name="某中学党总支", kind=UnitKind.BRANCH)
    unit_create(code="c-1", name="第一党支部", kind=UnitKind.BRANCH, parent=root)
    leaf = unit_create(code="c-2", name="校办公室", kind=UnitKind.OFFICE, parent=root)
    doc = bulletin_for(root=root, period=H1)
    assert doc.recipients == "第一党支部、校办公室："
    with pytest.raises(CommandError) as exc:
        call_command("report", "bulletin", "--unit", leaf.code, "--period", "2020H1", "--format", "md")
    assert exc.value.returncode == 2 and "没有下级单位" in str(exc.value)


def test_the_bulletins_docx_has_its_recipients_flush_left_and_its_title_broken_between_words(cppcc, tmp_path):
    out = tmp_path / "b.docx"
    call_command("report", "bulletin", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    docx = read_docx(out.read_bytes())
    title, blank, recipients = docx.paragraphs[:3]
    lines = title.text.split("\n")
    assert lines == ["关于2020年上半年意识形态工作", "信息报送及开展情况的通报"]
    assert all(text_ems(line) <= 20 for line in lines)  # each fits the 二号 line: no wrap inside a word
    assert blank.text == ""
    assert recipients.text == "各委室："
    assert recipients.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not recipients.paragraph_format.first_line_indent


def test_batch_writes_one_summary_per_unit_of_the_tree(cppcc, tmp_path):
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--with-children",
        "--out-dir", str(tmp_path), "--jobs", "1",
    )  # fmt: skip
    files = sorted(p.name for p in tmp_path.iterdir())
    codes = Unit.objects.filter(path__startswith=cppcc.path).values_list("code", flat=True)
    assert files == sorted(f"{code}-2020H1-意识形态工作总结.docx" for code in codes)
    office = read_docx((tmp_path / "cppcc-office-2020H1-意识形态工作总结.docx").read_bytes())
    assert office.paragraphs[0].text.replace("\n", "") == "县政协办公室2020年上半年意识形态工作总结"


def test_bulletin_reads_the_whole_tree_in_a_fixed_number_of_queries(cppcc, django_assert_max_num_queries):
    # units, then one per table (activities, submissions, adoptions, articles), the reporting
    # module's grouped points (one per table) and one per type that declares a bulletin phrase:
    # never a query per unit
    told = sum(1 for t in REGISTRY.values() if t.bulletin)
    with django_assert_max_num_queries(1 + 4 + 3 + told):
        bulletin_for(root=cppcc, period=H1)


def test_the_countys_bulletin_is_signed_by_its_publicity_department(db):
    """清源县 is a place, not an office: its bulletin comes from 中共清源县委宣传部, which ranks the
    county's other units and is neither ranked nor addressed."""
    county = Unit.objects.get(code="county")
    doc = bulletin_for(root=county, period=Period.parse("2020"))
    assert doc.signature_unit == "中共清源县委宣传部"
    ranked = [line.split("：")[0] for line in _ranked(doc)]
    peers = Unit.objects.filter(parent=county).exclude(name="县委宣传部")
    assert len(ranked) == peers.count() and not any("宣传部" in line for line in ranked)
    assert "宣传部" not in doc.recipients
    out = read_docx(render(doc, "docx"))
    assert out.paragraphs[-2].text == "中共清源县委宣传部"
    assert out.core_properties.author == "中共清源县委宣传部"  # the file says who issued it too
    # An organ signs for itself.
    assert bulletin_for(root=Unit.objects.get(code="cppcc"), period=H1).signature_unit == "县政协机关"


def test_the_issuing_office_is_named_in_full():
    assert issuing_office("清源县", ["县委办公室", "县委宣传部", "县教育局"]) == (
        "县委宣传部",
        "中共清源县委宣传部",
    )
    assert issuing_office("某市", ["市委宣传部"]) == ("市委宣传部", "中共某市委宣传部")
    assert issuing_office("清源县", ["中共清源县委宣传部"]) == ("中共清源县委宣传部", "中共清源县委宣传部")
    assert issuing_office("清源县", ["县委办公室", "县教育局"]) is None  # the region signs as before


def _row(name: str, activities: int, **measures) -> UnitRow:
    return UnitRow(name, tuple(range(activities)), **measures)


def test_units_that_reported_nothing_are_level_whatever_their_activities():
    """Activities are told, not ranked on: two cells with nothing reported are 并列, not 2. and 3."""
    rows = [
        _row("第三党小组", 9),
        _row("第一党小组", 3, submission_ids=(1,), points=2),
        _row("第二党小组", 12),
    ]
    doc = build_bulletin(issuer="某支部", period=H1, rows=rows, written_on=date(2020, 7, 6))
    assert [line.split("：")[0] for line in _ranked(doc)] == [
        "1. 第一党小组",
        "2. 第二党小组（并列）",
        "2. 第三党小组（并列）",
    ]
    assert "积分相同的依次比较采用、报送和稿件数量" in doc.text


def test_when_nobody_reported_anything_there_is_nothing_to_rank(school):
    """The school's three cells reported nothing in 2020: no 1., 2., 3.; the bulletin says why."""
    for period in ("2020H1", "2020"):
        doc = bulletin_for(root=school, period=Period.parse(period))
        assert _ranked(doc) == []
        assert "无从排名" in doc.text and "排名通报" not in doc.text
        listed = [b.text for b in doc.blocks if b.text.startswith("县实验中学第") and "登记活动" in b.text]
        assert [line.split("：")[0] for line in listed] == [
            "县实验中学第一党小组", "县实验中学第二党小组", "县实验中学第三党小组",
        ]  # fmt: skip
        assert all("信息积分0分" in line for line in listed)  # what they did is still told
