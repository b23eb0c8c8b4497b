"""A blank template filled from the ledger, as a clerk would fill the school's: the school demo's 2020."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command
from docx.shared import Pt

from taizhang.core.periods import Period
from taizhang.ledger.models import Activity

YEAR = Period.parse("2020")
pytestmark = pytest.mark.django_db


def _school_seed(seed_texts) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith("002_"))


def _studies(school) -> int:
    return Activity.objects.filter(
        unit__path__startswith=school.path,
        kind__code="central_group_study",
        date__range=(YEAR.start, YEAR.end),
    ).count()


def _fill(template, output):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "fill",
        str(template),
        "--unit",
        "school",
        "--period",
        "2020",
        "-o",
        str(output),
        stdout=out,
        stderr=err,
    )
    return err.getvalue()


def test_school_template_text(seed_texts, school, tmp_path):
    template = tmp_path / "template.txt"
    template.write_text(_school_seed(seed_texts) + "\n全年开展谈心谈话 次。\n", encoding="utf-8")
    output = tmp_path / "filled.txt"
    report = _fill(template, output)
    filled = output.read_text(encoding="utf-8")
    n = _studies(school)
    assert n == 12
    assert f"学校共开展中心组学习{n}次,其中理论学习{n}次。" in filled
    assert "现将2020年以来意识形态工作情况总结如下" in filled
    # 谈心谈话 is no record type of the ledger: marked, and listed
    assert "全年开展谈心谈话【待补充】次。" in filled
    assert "已填写 4 处" in report and f"中心组学习 “次” → {n}次" in report
    assert "待补充 1 处" in report and "谈心谈话" in report
    # nothing else of the template changed
    expected = (
        template.read_text(encoding="utf-8")
        .replace("学校共开展中心组学习 次,其中理论学习 次", f"学校共开展中心组学习{n}次,其中理论学习{n}次")
        .replace("现将 年以来", "现将2020年以来")
        .replace("《 县 年教育系统", "《 县2020年教育系统")
        .replace("谈心谈话 次", "谈心谈话【待补充】次")
    )
    assert filled == expected


def test_docx_keeps_runs_and_layout(school, tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    lead = paragraph.add_run("学校共开展")
    lead.bold = True
    paragraph.add_run("中心组学习")
    gap = paragraph.add_run("    ")
    gap.underline = True
    tail = paragraph.add_run("次，其中专题党课____次。")
    tail.font.size = Pt(16)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "主题党日"
    table.cell(0, 1).text = "开展主题党日  次。"
    document.add_paragraph("开展谈心谈话XX次")
    template = tmp_path / "template.docx"
    document.save(template)
    output = tmp_path / "filled.docx"
    _fill(template, output)
    result = docx.Document(output)
    first = result.paragraphs[0]
    n = _studies(school)
    lessons = Activity.objects.filter(
        unit__path__startswith=school.path, kind__code="party_lesson", date__range=(YEAR.start, YEAR.end)
    ).count()
    days = Activity.objects.filter(
        unit=school, kind__code="theme_day", date__range=(YEAR.start, YEAR.end)
    ).count()
    assert first.text == f"学校共开展中心组学习{n}次，其中专题党课{lessons}次。"
    runs = first.runs
    assert [r.text for r in runs] == ["学校共开展", "中心组学习", f"{n}", f"次，其中专题党课{lessons}次。"]
    assert runs[0].bold and runs[2].underline and runs[3].font.size == Pt(16)
    assert result.tables[0].cell(0, 1).text == f"开展主题党日{days}次。"
    assert result.paragraphs[1].text == "开展谈心谈话【待补充】次"


def test_template_and_output_of_different_kinds_are_refused(tmp_path):
    from django.core.management.base import CommandError

    template = tmp_path / "template.txt"
    template.write_text("开展中心组学习 次。", encoding="utf-8")
    with pytest.raises(CommandError, match=r"输出文件应与模板同为 \.txt"):
        _fill(template, tmp_path / "filled.docx")
    assert not (tmp_path / "filled.docx").exists()
