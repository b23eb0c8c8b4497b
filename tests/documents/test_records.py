"""Activity records, sign-in sheets, the study archive and the ledger workbook, read back."""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db.models import Count
from docx.oxml.ns import qn
from openpyxl import load_workbook

from taizhang.campaigns.models import Campaign, Donation, DonationKind, VolunteerActivity
from taizhang.core.periods import Period
from taizhang.ledger.models import Activity, Attendance
from taizhang.reporting.models import Adoption, Article, Submission

from .conftest import read_docx
from .test_pdf import needs_soffice

H1 = Period.parse("2020H1")


def _cells(docx) -> list[str]:
    return [cell.text for table in docx.tables for row in table.rows for cell in row.cells]


def test_activity_record_states_attendance_with_reasons(cppcc, tmp_path):
    activity = Activity.objects.filter(unit=cppcc, kind__code="collective_study").order_by("date").first()
    absentee = activity.attendances.select_related("person").filter(status="present").first()
    Attendance.objects.filter(pk=absentee.pk).update(status="leave", reason="外出开会")
    present = activity.attendances.filter(status="present").count()
    leave = activity.attendances.filter(status="leave").count()
    out = tmp_path / "r.docx"
    call_command("export", "record", "--activity", str(activity.pk), "-o", str(out))
    docx = read_docx(out.read_bytes())
    assert docx.paragraphs[0].text == "集中学习记录"
    cells = _cells(docx)
    due = activity.attendances.count()
    assert any(c.startswith(f"应到{due}人，实到{present}人，请假{leave}人") for c in cells)
    assert any(f"{absentee.person.name}（请假：外出开会）" in c for c in cells)
    assert activity.topic in cells


def test_sign_in_sheet_lists_everyone_due_with_blank_signature_cells(cppcc, tmp_path):
    activity = Activity.objects.filter(unit=cppcc, kind__code="seminar").first()
    out = tmp_path / "s.docx"
    call_command("export", "signin", "--activity", str(activity.pk), "-o", str(out))
    table = read_docx(out.read_bytes()).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "姓名", "职务", "签名"]
    assert len(table.rows) == 1 + activity.attendances.count()
    assert all(row.cells[3].text == "" for row in table.rows[1:])


def test_study_archive_binds_records_in_date_order(cppcc, tmp_path):
    out = tmp_path / "a.docx"
    call_command("export", "archive", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    docx = read_docx(out.read_bytes())
    texts = [p.text for p in docx.paragraphs]
    assert "2020年上半年学习档案" in texts and "目　录" in texts
    study = Activity.objects.filter(
        unit=cppcc, kind__area__code="theory_study", date__range=(H1.start, H1.end)
    ).order_by("date", "id")
    contents = docx.tables[0]
    assert [r.cells[3].text for r in contents.rows[1:]] == [a.topic for a in study]
    assert len(docx.tables) == 1 + study.count()
    # The cover alone goes without a page number.
    assert docx.sections[0].different_first_page_header_footer
    assert not any(section.different_first_page_header_footer for section in docx.sections[1:])


def test_each_record_of_the_archive_tells_its_own_content(cppcc, tmp_path):
    """主要内容 comes from each record: its minutes, what it studied, its highlight; no sentence
    stands in every record, and a record without minutes says what it studied."""
    study = list(
        Activity.objects.filter(
            unit=cppcc, kind__area__code="theory_study", date__range=(H1.start, H1.end)
        ).order_by("date", "id")
    )
    bare = next(a for a in study if a.material_list and not a.highlight)
    Activity.objects.filter(pk=bare.pk).update(minutes="")
    out = tmp_path / "a.docx"
    call_command("export", "archive", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    docx = read_docx(out.read_bytes())
    contents = []
    for table in docx.tables[1:]:
        rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
        contents.append(rows["主要内容"])
    assert len(contents) == len(study)
    assert len(set(contents)) == len(contents)  # no two records say the same
    sentences = [set(filter(None, c.replace("\n", "。").split("。"))) for c in contents]
    common = set.intersection(*sentences)
    assert common == set(), common
    for activity, content in zip(study, contents, strict=True):
        if activity.pk == bare.pk:
            assert (
                content.startswith(f"围绕“{activity.topic}”，学习了") and activity.material_list[0] in content
            )
        else:
            assert activity.minutes.splitlines()[0] in content
        if activity.highlight:
            assert f"成效：{activity.highlight}" in content


def test_a_record_without_minutes_or_materials_says_so_rather_than_inventing(cppcc, tmp_path):
    activity = Activity.objects.filter(unit=cppcc, kind__code="theme_day").order_by("date").first()
    Activity.objects.filter(pk=activity.pk).update(minutes="", materials="", highlight="")
    out = tmp_path / "r.docx"
    call_command("export", "record", "--activity", str(activity.pk), "-o", str(out))
    rows = {row.cells[0].text: row.cells[1].text for row in read_docx(out.read_bytes()).tables[0].rows}
    assert rows["主要内容"] == "（未填写会议记录）"


def test_ledger_workbook_has_a_sheet_per_kind_with_inspector_columns(cppcc, tmp_path):
    out = tmp_path / "l.xlsx"
    call_command("export", "ledger", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    book = load_workbook(out)
    assert "理论学习中心组学习" in book.sheetnames and "学习体会" in book.sheetnames
    sheet = book["理论学习中心组学习"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["序号", "日期", "内容"] and "参加人员" in header and "备注" in header
    assert (
        sheet.max_row - 1
        == Activity.objects.filter(
            unit=cppcc, kind__code="central_group_study", date__range=(H1.start, H1.end)
        ).count()
    )


def test_the_ledger_roster_leaves_phone_numbers_out_unless_an_admin_asks(cppcc, tmp_path):
    from taizhang.org.models import Person

    person = Person.objects.filter(unit=cppcc).first()
    Person.objects.filter(pk=person.pk).update(phone="13800000000")
    plain, personal = tmp_path / "plain.xlsx", tmp_path / "personal.xlsx"
    call_command("export", "ledger", "--unit", "cppcc", "--period", "2020H1", "-o", str(plain))
    call_command(
        "export",
        "ledger",
        "--unit",
        "cppcc",
        "--period",
        "2020H1",
        "--with-personal-data",
        "-o",
        str(personal),
    )

    def roster(path):
        sheet = load_workbook(path)["人员名册"]
        return [[c.value for c in row] for row in sheet.iter_rows()]

    rows = roster(plain)
    assert "手机号码" not in rows[0] and person.name in {r[1] for r in rows}
    assert not any("13800000000" in str(value) for row in rows for value in row)
    rows = roster(personal)
    assert rows[0][-1] == "手机号码"
    assert [r[-1] for r in rows if r[1] == person.name] == ["13800000000"]


def _repeats_header(table) -> bool:
    return table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def _export_pdf(args: list[str], out) -> str:
    """Export as PDF and return its text, pages separated by form feeds."""
    call_command("export", *args, "-o", str(out))
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


def test_table_headers_repeat_on_every_page_and_rows_do_not_split(cppcc, tmp_path):
    activity = Activity.objects.filter(unit=cppcc, kind__code="collective_study").first()
    out = tmp_path / "s.docx"
    call_command("export", "signin", "--activity", str(activity.pk), "-o", str(out))
    sheet = read_docx(out.read_bytes()).tables[0]
    assert _repeats_header(sheet)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in sheet.rows)
    call_command("export", "archive", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    contents = read_docx(out.read_bytes()).tables[0]
    assert _repeats_header(contents)
    assert [c.text for c in contents.rows[0].cells] == ["序号", "日期", "类型", "主题", "页码"]


@needs_soffice
def test_a_long_sign_in_sheet_prints_its_header_on_each_page(cppcc, tmp_path):
    activity = (
        Activity.objects.filter(unit=cppcc).annotate(n=Count("attendances")).order_by("-n", "id").first()
    )
    text = _export_pdf(["signin", "--activity", str(activity.pk)], tmp_path / "s.pdf")
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    assert all("序号" in page and "签名" in page for page in pages)


@dataclass(frozen=True)
class PdfLine:
    """One line of text as poppler finds it: within a table, one line of one cell."""

    top: float
    left: float
    right: float
    text: str


CELL_GAP = 8  # points: words further apart than this on one baseline sit in different cells
FOOTER_TOP = 745  # points: the type area ends 35 mm above the foot of A4; page numbers sit below


def _pdf_pages(path) -> list[list[PdfLine]]:
    """Each page's lines of text, one per cell line, top to bottom and left to right.

    From ``pdftotext -bbox-layout``; poppler joins cells that share a baseline into one line, so a
    line is cut again wherever its words are further apart than a cell's padding.
    """
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ElementTree.fromstring(xhtml).iterfind(".//x:page", ns):
        lines = []
        for line in page.iterfind(".//x:line", ns):
            for word in line.iterfind("x:word", ns):
                left, right = float(word.get("xMin")), float(word.get("xMax"))
                top = round(float(word.get("yMin")))
                last = lines[-1] if lines else None
                if last and last.top == top and 0 <= left - last.right <= CELL_GAP:
                    lines[-1] = PdfLine(top, last.left, right, last.text + (word.text or ""))
                else:
                    lines.append(PdfLine(top, left, right, word.text or ""))
        pages.append(sorted(lines, key=lambda line: (line.top, line.left)))
    return pages


def _theory_study(cppcc):
    return list(
        Activity.objects.filter(unit=cppcc, kind__area__code="theory_study", date__range=(H1.start, H1.end))
        .select_related("kind")
        .order_by("date", "id")
    )


@pytest.fixture
def archive_pdf(cppcc, tmp_path):
    out = tmp_path / "a.pdf"
    call_command("export", "archive", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    return _pdf_pages(out)


@needs_soffice
def test_the_archives_contents_give_the_page_each_record_starts_on(cppcc, archive_pdf):
    study = _theory_study(cppcc)
    # Where each record really starts: the pages headed by a record's title, in order.
    starts = [number for number, lines in enumerate(archive_pdf, start=1) if lines[0].text.endswith("记录")]
    titles = [archive_pdf[number - 1][0].text for number in starts]
    assert titles == [f"{a.kind.name}记录" for a in study]
    # The contents' 页码 column, read down its pages.
    listed = []
    for lines in archive_pdf:
        header = next((line for line in lines if line.text == "页码"), None)
        if header:
            listed += [
                int(line.text)
                for line in lines
                if line.left >= header.left - 5 and line.text.isdigit() and line.top < FOOTER_TOP
            ]
    assert listed == starts


@needs_soffice
def test_short_cells_never_break_inside_a_date_a_kind_or_a_name(cppcc, archive_pdf):
    study = _theory_study(cppcc)
    contents = {line.text for lines in archive_pdf if any(x.text == "页码" for x in lines) for line in lines}
    for activity in study:
        assert f"{activity.date.month}月{activity.date.day}日" in contents  # one cell line, whole
        assert activity.kind.name in contents
    names = {a.person.name for a in Attendance.objects.filter(activity__in=study).select_related("person")}
    checked = 0
    for lines in archive_pdf:
        labels = {line.text: line for line in lines if line.text in ("参加人员", "请假、缺席人员及事由")}
        if len(labels) < 2:
            continue
        assert "请假、缺席人员及事由" in labels  # the longest label on one line
        first, after = labels["参加人员"], labels["请假、缺席人员及事由"]
        listed = [
            line.text
            for line in lines
            if first.top - 2 <= line.top < after.top - 2 and line.left > first.right and line.text != "—"
        ]
        # Each line of the cell holds whole names: "甲、乙、丙、", never half of one.
        parts = [part for text in listed for part in text.split("、") if part]
        assert parts and set(parts) <= names, set(parts) - names
        checked += 1
    assert checked == len(study)


def test_the_ledger_workbook_prints_on_a4_one_page_wide_with_its_header_on_every_page(cppcc, tmp_path):
    out = tmp_path / "l.xlsx"
    call_command("export", "ledger", "--unit", "cppcc", "--period", "2020H1", "-o", str(out))
    book = load_workbook(out)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert str(setup.paperSize) == "9"  # A4
        width = sum(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
        assert width <= 180, sheet.title  # scaled to A4 landscape, still legible
        assert setup.orientation == ("landscape" if width > 90 else "portrait"), sheet.title
    assert book.properties.creator == "县政协机关"


def test_the_ledger_workbook_has_a_sheet_for_each_record_type_the_summary_cites(cppcc, tmp_path):
    out = tmp_path / "l.xlsx"
    call_command(
        "export", "ledger", "--unit", "cppcc", "--period", "2020H1", "--with-children", "-o", str(out)
    )
    book = load_workbook(out)
    tree = {"unit__path__startswith": cppcc.path, "date__range": (H1.start, H1.end)}

    def rows(title):
        sheet = book[title]
        header = [c.value for c in sheet[1]]
        return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]

    assert len(rows("报送信息")) == Submission.objects.filter(**tree).count()
    adoptions = rows("信息采用")
    assert (
        len(adoptions)
        == Adoption.objects.filter(
            submission__unit__path__startswith=cppcc.path, date__range=(H1.start, H1.end)
        ).count()
    )
    assert "《各界反映》2020年第27期" in {row["刊物及期号"] for row in adoptions}
    assert len(rows("宣传稿件")) == Article.objects.filter(**tree).count()
    donations = rows("捐赠")
    assert len(donations) == Donation.objects.filter(**tree).count()
    money = Donation.objects.filter(**tree).exclude(kind=DonationKind.ITEMS)
    assert (
        sum(Decimal(str(r["金额（元）"] or 0)) for r in donations)
        == Decimal(sum(money.values_list("amount_fen", flat=True))) / 100
    )
    assert len(rows("志愿服务记录")) == VolunteerActivity.objects.filter(**tree).count()
    assert (
        len(rows("主题活动"))
        == Campaign.objects.filter(unit__path__startswith=cppcc.path, start__range=(H1.start, H1.end)).count()
    )
    for title in ("发布稿件（三审）", "风险点", "自办阵地", "评选"):
        assert rows(title), title


def test_every_docx_names_the_unit_and_the_time_it_was_written(cppcc, tmp_path):
    activity = Activity.objects.filter(unit=cppcc).first()
    before = datetime.now(UTC).replace(microsecond=0)
    out = tmp_path / "x.docx"
    runs = [
        ["report", "summary", "--unit", "cppcc", "--period", "2020H1"],
        ["report", "bulletin", "--unit", "cppcc", "--period", "2020H1"],
        ["export", "archive", "--unit", "cppcc", "--period", "2020H1"],
        ["export", "record", "--activity", str(activity.pk)],
        ["export", "signin", "--activity", str(activity.pk)],
    ]
    for args in runs:
        call_command(*args, "-o", str(out))
        docx = read_docx(out.read_bytes())
        props = docx.core_properties
        assert props.author == "县政协机关", args
        assert props.created >= before and props.modified >= before, args
        assert "python-docx" not in (props.comments or "") + props.author
        with zipfile.ZipFile(out) as package:
            assert "<Company>县政协机关</Company>" in package.read("docProps/app.xml").decode("utf-8")
