"""Importing a clerk's own sheets, as a clerk does it: ``taizhang import FILE --unit CODE``."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook

from taizhang.core.management.base import UsageError
from taizhang.core.periods import Period
from taizhang.documents.archive.queries import activity_records
from taizhang.documents.workbook.queries import ledger_export
from taizhang.ledger import rollup
from taizhang.ledger.models import Activity, Attendance
from taizhang.ledger.queries import in_period, kind_counts
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import UnitKind
from taizhang.org.queries import organisation_people
from taizhang.org.services import unit_create

YEAR = Period.parse("2021")
HEADERS = ("学习内容", "活动时间", "类别", "参会人员", "主持人", "地点", "备注")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(UsageError) as exc:
        call_command("import", *map(str, args), stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue()


@pytest.fixture
def names(cppcc) -> list[str]:
    people = list(organisation_people(cppcc))
    unique = [p.name for p in people if sum(q.name == p.name for q in people) == 1]
    return unique[:5]


def clerk_rows(names: list[str]) -> list[tuple]:
    """Rows as a clerk types them: Chinese kind names, dates in five styles, names in one cell."""
    return [
        ("学习新修订的《中国共产党章程》", datetime(2021, 3, 5), "中心组学习",
         f"{names[0]}、{names[1]}，{names[2]}", names[0], "机关三楼会议室", ""),
        ("学习习近平总书记重要讲话精神", "2021.3.12", "集中学习",
         f"{names[1]} {names[2]},{names[3]}", names[1], "机关会议室", f"{names[4]}请假（出差）"),
        ("围绕乡村振兴开展专题研讨", "2021/4/2", "专题研讨", f"{names[0]}、{names[3]}", names[0], "", ""),
        ("主题党日：重温入党誓词", "2021年4月20日", "主题党日", f"{names[2]}、{names[4]}", "", "烈士陵园", ""),
        ("研判意识形态领域形势", "2021-05-06", "研判", f"{names[0]}、{names[1]}", names[0], "", ""),
    ]  # fmt: skip


def clerk_workbook(path, rows) -> None:
    """A title row merged across the columns, a blank row, then alias headers in their own order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "学习台账"
    sheet.append(["县政协机关2021年理论学习台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_clerks_workbook_with_three_mistakes_is_refused_naming_each_then_imports(cppcc, names, tmp_path):
    rows = clerk_rows(names)
    bad = list(rows)
    bad[1] = (*rows[1][:2], "读书分享会", *rows[1][3:])  # row 5, column C: no such kind
    bad[2] = (rows[2][0], "2021.2.30", *rows[2][2:])  # row 6, column B: no 30 February
    bad[3] = (*rows[3][:3], f"{names[2]}、王不在", *rows[3][4:])  # row 7, column D: not of the organisation
    path = tmp_path / "台账.xlsx"
    clerk_workbook(path, bad)
    activities, attendances = Activity.objects.count(), Attendance.objects.count()

    message, problems = refused(path, "--unit", "cppcc")

    assert "3 处问题" in message and "未写入" in message
    lines = problems.splitlines()
    assert [line.split(":")[0] for line in lines] == ["学习台账!C5", "学习台账!B6", "学习台账!D7"]
    assert "读书分享会" in lines[0] and "不存在" in lines[1] and "王不在" in lines[2]
    assert (Activity.objects.count(), Attendance.objects.count()) == (activities, attendances)

    before = sum(kind_counts(unit=cppcc, period=YEAR).values())
    clerk_workbook(path, rows)
    out, _ = run(path, "--unit", "cppcc")
    assert "5 条活动" in out
    assert sum(kind_counts(unit=cppcc, period=YEAR).values()) == before + 5
    assert rollup.stale(connection) == []  # the monthly rollup agrees with the imported rows
    studied = Activity.objects.get(unit=cppcc, topic="学习习近平总书记重要讲话精神")
    assert studied.date == date(2021, 3, 12) and studied.kind.code == "collective_study"
    assert dict(studied.attendances.values_list("person__name", "status")) == {
        names[1]: "present",
        names[2]: "present",
        names[3]: "present",
        names[4]: "leave",
    }
    assert studied.attendances.get(person__name=names[4]).reason == "出差"
    assert studied.history.latest().history_change_reason == "导入：台账.xlsx!学习台账 第5行"
    excused = studied.attendances.get(person__name=names[4])
    assert excused.history.latest().history_change_reason == "导入：台账.xlsx!学习台账 第5行"


def test_importing_the_same_workbook_twice_is_refused_as_duplicates(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    rows = clerk_rows(names)
    clerk_workbook(path, [*rows, rows[0]])
    _, problems = refused(path, "--unit", "cppcc")
    assert problems.splitlines() == ["学习台账!A9: 与第 4 行重复（日期、类型、主题相同）"]
    clerk_workbook(path, rows)
    run(path, "--unit", "cppcc")
    count = Activity.objects.count()
    _, problems = refused(path, "--unit", "cppcc")
    assert len(problems.splitlines()) == 5 and "台账中已有" in problems
    assert Activity.objects.count() == count


def test_dry_run_reports_and_writes_nothing(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_workbook(path, clerk_rows(names))
    count = Activity.objects.count()
    out, _ = run(path, "--unit", "cppcc", "--dry-run")
    assert "试运行" in out and "5 条活动" in out and "学习台账 第8行: 2021-05-06" in out
    assert Activity.objects.count() == count


def test_a_gbk_csv_imports(cppcc, names, tmp_path):
    path = tmp_path / "台账.csv"
    lines = [
        "日期,主题,活动类型,出席人员",
        *(
            f'{r[1] if isinstance(r[1], str) else "2021-03-05"},{r[0]},{r[2]},"{r[3]}"'
            for r in clerk_rows(names)
        ),
    ]
    path.write_bytes("\n".join(lines).encode("gb18030"))
    before = sum(kind_counts(unit=cppcc, period=YEAR).values())
    run(path, "--unit", "cppcc")
    assert sum(kind_counts(unit=cppcc, period=YEAR).values()) == before + 5
    seminar = Activity.objects.get(unit=cppcc, topic="围绕乡村振兴开展专题研讨")
    assert seminar.attendances.count() == 2


def test_a_csv_with_a_mistake_names_its_cell(cppcc, names, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("主题,日期,类型\n学习,2021-13-01,集中学习\n", encoding="utf-8")
    _, problems = refused(path, "--unit", "cppcc")
    assert problems.splitlines() == ["台账!B2: 日期“2021-13-01”不存在"]


def test_export_then_import_into_an_empty_unit_round_trips(cppcc, tmp_path):
    period = Period.parse("2020")
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger_export(unit=cppcc, period=period))
    empty = unit_create(code="cppcc-new", name="县政协新设委员会", kind=UnitKind.OFFICE, parent=cppcc)

    run(path, "--unit", "cppcc-new")

    def ledger(unit):
        records = activity_records(in_period(Activity.objects.filter(unit=unit), period))
        # what the workbook carries: all but the database id, the recorder, the minutes and the highlight
        trimmed = [
            replace(
                r,
                id=0,
                recorder="",
                minutes="",
                highlight="",
                attendees=tuple(sorted(r.attendees, key=lambda a: a.name)),
            )
            for r in records
        ]
        return sorted(trimmed, key=lambda r: (r.date, r.kind_name, r.topic))

    original = ledger(cppcc)
    assert len(original) > 20 and any(r.excused for r in original)
    assert ledger(empty) == original
    assert rollup.stale(connection) == []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("corrupt.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 Excel (.xlsx) 文件"),
        ("text.xlsx", "日期,主题\n".encode(), "不是有效的 Excel (.xlsx) 文件"),
        ("binary.csv", b"\x00\x01\x02" * 100, "不是 CSV 文本文件"),
        ("notes.csv", "今天开会\n学习文件\n".encode(), "没有可识别的表头行"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
    ],
)
def test_a_bad_file_is_one_line_and_nothing_is_written(cppcc, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    count = Activity.objects.count()
    message, _ = refused(path, "--unit", "cppcc")
    assert says in message and "\n" not in message
    assert Activity.objects.count() == count


def test_a_file_over_200_mb_is_refused_unread(cppcc, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.truncate(201 * 1024 * 1024)  # sparse: takes no disk
    message, _ = refused(path, "--unit", "cppcc")
    assert "超过 200 MB" in message


def test_a_sheet_without_a_kind_column_is_skipped_unless_named_for_a_kind(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "集中学习"
    sheet.append(["日期", "内容", "参加人员"])
    sheet.append([datetime(2021, 6, 1), "学习条例", names[0]])
    other = book.create_sheet("通讯录")
    other.append(["姓名", "电话"])
    book.save(path)
    _, err = run(path, "--unit", "cppcc")
    assert "跳过工作表“通讯录”" in err
    assert Activity.objects.get(unit=cppcc, topic="学习条例").kind.code == "collective_study"


def test_the_upload_page_lists_the_problems_then_checks_then_imports(cppcc_clerk, cppcc, names, tmp_path):
    rows = clerk_rows(names)
    path = tmp_path / "台账.xlsx"
    clerk_workbook(path, [*rows[:4], (rows[4][0], "2021.5.32", *rows[4][2:])])
    url = "/ledger/activities/import/?unit=cppcc"
    count = Activity.objects.count()

    def upload(**extra):
        with open(path, "rb") as handle:
            return cppcc_clerk.post(url, {"unit": "cppcc", "file": handle, **extra})

    page = upload()
    assert page.status_code == 400
    assert "学习台账!B8: 日期“2021.5.32”不存在" in page.content.decode()
    clerk_workbook(path, rows)
    page = upload(dry_run="1")
    assert "将写入 5 条活动" in page.content.decode() and Activity.objects.count() == count
    page = upload()
    assert page.status_code == 302 and Activity.objects.count() == count + 5
    assert Activity.objects.get(topic="研判意识形态领域形势").unit == cppcc


def test_a_workbook_with_a_damaged_sheet_is_one_line_and_nothing_is_written(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_workbook(path, clerk_rows(names))
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off mid-row, as a broken download is
            target.writestr(item, data)
    count = Activity.objects.count()
    message, _ = refused(damaged, "--unit", "cppcc")
    assert "\n" not in message and "damaged.xlsx" in message
    assert "已损坏" in message or "不是有效的 Excel" in message
    assert Activity.objects.count() == count


def test_excel_dates_are_read_whether_formatted_or_not(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "主题", "类型"])
    sheet.append([date(2021, 6, 1), "学习条例（日期格式）", "集中学习"])
    sheet.append([44349, "学习条例（日期序号）", "集中学习"])  # 2021-06-02 in a cell without a date format
    sheet.append([datetime(2021, 6, 3, 9, 30), "学习条例（日期时间）", "集中学习"])
    sheet.append(["2021年6月4日", "学习条例（文字）", "集中学习"])
    book.save(path)
    run(path, "--unit", "cppcc")
    dates = dict(Activity.objects.filter(topic__startswith="学习条例（").values_list("topic", "date"))
    assert dates == {
        "学习条例（日期格式）": date(2021, 6, 1),
        "学习条例（日期序号）": date(2021, 6, 2),
        "学习条例（日期时间）": date(2021, 6, 3),
        "学习条例（文字）": date(2021, 6, 4),
    }


def test_a_failure_while_writing_leaves_nothing_and_the_rollup_kept(cppcc, names, tmp_path, monkeypatch):
    """The rows go in with the rollup's triggers off; a failure half-way (here: the disk filling up
    while the history is written) must take the rows, the history and the switch back with it."""
    from django.db import OperationalError

    from taizhang.ledger import bulk
    from taizhang.ledger.import_writes import import_plan
    from taizhang.ledger.imports import plan_import
    from taizhang.ledger.services import activity_create

    path = tmp_path / "台账.xlsx"
    clerk_workbook(path, clerk_rows(names))
    plan = plan_import(path, cppcc)
    counts = (Activity.objects.count(), Attendance.objects.count(), Activity.history.count())

    def disk_full(*args, **kwargs):
        assert Activity.objects.count() == counts[0] + 5  # the activities were in when it failed
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(bulk, "insert_history", disk_full)
    with pytest.raises(OperationalError):
        import_plan(plan, cppcc)
    assert (Activity.objects.count(), Attendance.objects.count(), Activity.history.count()) == counts
    assert rollup.stale(connection) == []
    # the triggers are back: an activity written the ordinary way is counted at once
    person = organisation_people(cppcc).get(name=names[0])
    activity_create(unit=cppcc, kind=plan.activities[0].kind, date=date(2021, 7, 1), topic="失败之后的学习",
                    attendance=[AttendanceEntry(person=person, status="present")])  # fmt: skip
    assert rollup.stale(connection) == []


def test_a_sheet_starting_in_column_b_names_the_right_cells(cppcc, tmp_path):
    """A clerk who leaves column A and the first rows empty: cells are named as Excel shows them."""
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "学习台账"
    sheet["B3"], sheet["C3"], sheet["D3"] = "日期", "主题", "类型"
    sheet["B4"], sheet["C4"], sheet["D4"] = "2021.2.30", "学习条例", "集中学习"
    book.save(path)
    _, problems = refused(path, "--unit", "cppcc")
    assert problems.splitlines() == ["学习台账!B4: 日期“2021.2.30”不存在"]
