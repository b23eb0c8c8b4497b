"""Activity records, sign-in sheets, the study archive and the ledger workbook, read back."""

from __future__ import annotations

from django.core.management import call_command
from openpyxl import load_workbook

from taizhang.core.periods import Period
from taizhang.ledger.models import Activity, Attendance

from .conftest import read_docx

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
