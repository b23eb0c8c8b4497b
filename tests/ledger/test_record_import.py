"""Importing the ledger's other record types (submissions, donations, risk points …), as a clerk does:
``taizhang import``, ``taizhang template ledger`` and the upload page."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from taizhang.campaigns.models import Campaign, Donation
from taizhang.core.management.base import UsageError
from taizhang.core.periods import Period
from taizhang.documents.workbook.queries import ledger_export
from taizhang.ledger.models import Activity
from taizhang.org.models import UnitKind
from taizhang.org.queries import organisation_people
from taizhang.org.services import unit_create
from taizhang.reporting.models import Article, Submission
from taizhang.risks.models import RiskPoint


def run(command, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[str, list[str]]:
    err = io.StringIO()
    with pytest.raises(UsageError) as exc:
        call_command("import", *map(str, args), stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue().splitlines()


@pytest.fixture
def names(cppcc) -> list[str]:
    people = list(organisation_people(cppcc))
    return [p.name for p in people if sum(q.name == p.name for q in people) == 1][:4]


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Submission, Article, Donation, RiskPoint, Campaign, Activity))


def clerk_book(path, names, *, donations=None, risks=None) -> None:
    """A clerk's own workbook: title rows, headers in their words and order, Chinese labels, mixed dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = "2021年信息报送"  # not the export's name: recognised by its headers
    sheet.append(["县政协机关2021年信息报送台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["信息标题", "撰稿人", "报送时间", "信息类别", "报送对象"])
    sheet.append(["关于农村养老服务的建议", names[0], "2021.3.5", "社情民意", "《各界反映》"])
    sheet.append(["我县开展春耕备耕服务", names[1], datetime(2021, 4, 2), "工作信息", ""])
    sheet = book.create_sheet("捐款捐物")
    sheet.append(["序号", "捐赠日期", "捐赠主体", "捐赠人", "方式", "金额", "物品名称", "数量", "计量单位"])
    for row in donations or [
        (1, "2021年5月6日", "干部", names[2], "捐款", "1,200元", "", "", ""),
        (2, "2021/5/6", "委员", names[3], "现金", 1200.5, "", "", ""),
        (3, "2021-05-07", "企业", "县华丰公司", "捐赠物品（计件）", "", "口罩", "5600个", "个"),
    ]:
        sheet.append(row)
    sheet = book.create_sheet("风险点台账")
    sheet.append(["风险点名称", "风险等级", "责任人", "排查日期", "下次研判日期", "管控措施"])
    for row in risks or [("工作群转发未经核实信息", "高风险", names[0], "2021.6.1", "2021.9.1", "每月检查")]:
        sheet.append(row)
    book.save(path)


def test_a_clerks_workbook_of_several_types_imports_with_labels_amounts_and_origin(cppcc, names, tmp_path):
    path = tmp_path / "2021台账.xlsx"
    clerk_book(path, names)
    before = counts()

    out, _ = run("import", path, "--unit", "cppcc", "--dry-run")
    assert "报送信息：2 条" in out and "捐赠：3 条" in out and "风险点：1 条" in out
    assert counts() == before

    out, _ = run("import", path, "--unit", "cppcc")
    assert "2 条报送信息、1 条风险点、3 条捐赠" in out
    submission = Submission.objects.get(unit=cppcc, title="关于农村养老服务的建议")
    assert (submission.kind, submission.date, submission.author.name, submission.target) == (
        "public_sentiment",
        date(2021, 3, 5),
        names[0],
        "《各界反映》",
    )
    donations = Donation.objects.filter(unit=cppcc, date__gte=date(2021, 5, 6), date__lte=date(2021, 5, 7))
    by_who = {(d.donor.name if d.donor else d.donor_name): d for d in donations}
    assert by_who[names[2]].amount_fen == 120000 and by_who[names[2]].donor_group == "staff"
    assert by_who[names[3]].amount_fen == 120050 and by_who[names[3]].kind == "money"
    masks = by_who["县华丰公司"]
    assert (masks.kind, masks.item_name, masks.item_count, masks.item_unit) == ("items", "口罩", 5600, "个")
    risk = RiskPoint.objects.get(unit=cppcc, title="工作群转发未经核实信息")
    assert (risk.level, risk.owner.name, risk.review_date) == ("high", names[0], date(2021, 9, 1))
    origin = masks.history.earliest().history_change_reason
    assert origin == "导入：2021台账.xlsx!捐款捐物 第4行"


def test_every_mistake_is_named_by_its_cell_and_nothing_is_written(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_book(
        path,
        names,
        donations=[
            (1, "2021-05-06", "干部", names[2], "捐款", "一千二", "", "", ""),  # C… amount not a number
            (2, "2021-02-30", "委员", names[3], "捐款", "200", "", "", ""),  # no 30 February
            (3, "2021-05-07", "乡贤", "某人", "捐款", "300", "", "", ""),  # no such donor group
            (4, "2021-05-08", "干部", names[2], "捐款", "500", "", "", ""),
            (5, "2021.5.8", "干部", names[2], "捐款", "500元", "", "", ""),  # the same as the row above
        ],
        risks=[("工作群转发未经核实信息", "高风险", "查无此人", "2021.6.1", "2021.9.1", "")],
    )
    before = counts()
    message, problems = refused(path, "--unit", "cppcc")
    assert problems == [
        "捐款捐物!F2: 金额“一千二”不是数字",
        "捐款捐物!B3: 日期“2021-02-30”不存在",
        "捐款捐物!C4: 未知的捐赠方“乡贤”（应为机关干部、政协委员（会员）、单位、个人之一）",
        "捐款捐物!D6: 与捐款捐物 第 5 行重复（日期、捐赠方、捐赠人、类别、金额、物品、数量、主题活动相同）",
        f"风险点台账!C2: “查无此人”不是{cppcc.name}的人员",
    ]
    assert "5 处问题" in message and "未写入任何记录" in message
    assert counts() == before


def test_a_record_already_in_the_ledger_and_a_service_rule_are_refused_by_cell(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_book(path, names)
    run("import", path, "--unit", "cppcc")
    before = counts()
    _, problems = refused(path, "--unit", "cppcc")
    assert "2021年信息报送!A3: 台账中已有相同的报送信息（报送日期、标题相同）" in problems
    assert "风险点台账!A2: 台账中已有相同的风险点（识别日期、风险点相同）" in problems
    assert len(problems) == 6 and counts() == before

    # a rule only the service knows (the next review before the risk was found), named at its cell
    clerk_book(path, names, risks=[("新风险", "中", names[0], "2021.6.1", "2021.5.1", "")])
    book = load_workbook(path)
    del book["2021年信息报送"], book["捐款捐物"]
    book.save(path)
    _, problems = refused(path, "--unit", "cppcc")
    assert problems == ["风险点台账!E2: 下次研判日期不能早于识别日期"]


def test_a_workbook_of_activities_and_other_types_is_all_or_nothing(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_book(path, names, risks=[("风险", "极高", names[0], "2021.6.1", "2021.9.1", "")])
    book = load_workbook(path)
    sheet = book.create_sheet("学习台账")
    sheet.append(["日期", "学习内容", "类型", "参加人员"])
    sheet.append(["2021-03-01", "学习条例", "集中学习", names[0]])
    book.save(path)
    before = counts()
    _, problems = refused(path, "--unit", "cppcc")
    assert problems == ["风险点台账!B2: 未知的等级“极高”（应为低、中、高之一）"]
    assert counts() == before


def test_export_then_import_into_an_empty_unit_round_trips_every_sheet(cppcc, tmp_path):
    """Every sheet the import reads comes back cell for cell (but the 单位 column: another unit)."""
    period = Period.parse("2020")
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger_export(unit=cppcc, period=period))
    empty = unit_create(code="cppcc-new", name="县政协新设委员会", kind=UnitKind.OFFICE, parent=cppcc)

    out, _ = run("import", path, "--unit", "cppcc-new")
    again = tmp_path / "again.xlsx"
    again.write_bytes(ledger_export(unit=empty, period=period))

    def sheets(file) -> dict[str, list[tuple]]:
        book = load_workbook(file)
        out = {}
        for sheet in book.worksheets:
            if sheet.title in ("学习体会", "发布稿件（三审）", "人员名册"):  # not read back (see the report)
                continue
            rows = list(sheet.iter_rows(values_only=True))
            keep = [i for i, header in enumerate(rows[0]) if header != "单位"]
            out[sheet.title] = [tuple(row[i] for i in keep) for row in rows]
        return out

    original, copied = sheets(path), sheets(again)
    for title in (
        "报送信息",
        "信息采用",
        "宣传稿件",
        "风险点",
        "自办阵地",
        "主题活动",
        "捐赠",
        "志愿服务记录",
        "评选",
    ):
        assert len(original[title]) > 1, f"the demo has no {title} in 2020: the test would prove nothing"
    assert copied == original
    assert "条捐赠" in out and "条信息采用" in out


def test_the_template_has_a_sheet_per_type_lists_and_a_filled_copy_imports(cppcc, names, tmp_path):
    path = tmp_path / "template.xlsx"
    out, _ = run("template", "ledger", "-o", path)
    assert "已写入" in out
    book = load_workbook(path)
    titles = book.sheetnames
    assert titles[0] == "说明" and "活动台账" in titles and "捐赠" in titles and "风险点" in titles
    donations = book["捐赠"]
    assert [c.value for c in donations[1]][:5] == ["日期", "单位", "捐赠方", "捐赠人", "类别"]
    lists = {str(rule.sqref): rule.formula1 for rule in donations.data_validations.dataValidation}
    choices = book["选项"]
    for sqref, formula in lists.items():
        cells = formula.split("!")[1].replace("$", "").split(":")
        words = [c.value for row in choices[cells[0] : cells[1]] for c in row]
        column = sqref.split(":")[0].rstrip("0123456789")
        assert donations[f"{column}2"].value in words
    assert len(lists) == 2
    kinds = book["活动台账"].data_validations.dataValidation
    assert len(kinds) == 1

    # the clerk writes their own people over the example's names and imports the template as it is
    replace = {"张三": names[0], "李四": names[1], "王五": names[2], "赵六": names[3]}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    for old, new in replace.items():
                        cell.value = cell.value.replace(old, new)
    book.save(path)
    out, err = run("import", path, "--unit", "cppcc")
    assert "1 条活动" in out and "1 条捐赠" in out and "1 条评选" in out and "1 条信息采用" in out
    assert "跳过工作表“说明”" in err  # the guide and the hidden lists are not ledgers
    assert Donation.objects.get(unit=cppcc, date=date(2021, 3, 5), donor__name=names[0]).campaign.title == (
        "“学党史、办实事”主题宣传"
    )


def test_the_upload_page_takes_a_workbook_of_other_types(cppcc_clerk, cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    url = "/ledger/activities/import/?unit=cppcc"

    def upload(**extra):
        with open(path, "rb") as handle:
            return cppcc_clerk.post(url, {"unit": "cppcc", "file": handle, **extra})

    form = cppcc_clerk.get(url).content.decode()
    link = re.search(r'href="([^"]+)">台账导入模板', form)[1]  # the page offers the blank template
    template = cppcc_clerk.get(link)
    assert "台账导入模板" in unquote(template["Content-Disposition"])
    assert "捐赠" in load_workbook(io.BytesIO(template.content)).sheetnames

    clerk_book(path, names, risks=[("风险", "高", names[0], "2021.6.31", "2021.9.1", "")])
    before = counts()
    page = upload()
    assert page.status_code == 400 and "风险点台账!D2: 日期“2021.6.31”不存在" in page.content.decode()
    clerk_book(path, names)
    page = upload(dry_run="1")
    text = page.content.decode()
    assert "将写入 2 条报送信息、1 条风险点、3 条捐赠" in text and counts() == before
    page = upload()
    assert page.status_code == 302 and Donation.objects.count() == before[2] + 3


def test_a_gbk_csv_of_donations_imports_and_a_bad_one_names_its_cell(cppcc, names, tmp_path):
    path = tmp_path / "捐赠.csv"
    text = f'日期,捐赠方,捐赠人,类别,金额（元）\n2021/7/1,机关干部,{names[0]},捐款,"2,000"\n'
    path.write_bytes(text.encode("gb18030"))
    out, _ = run("import", path, "--unit", "cppcc")
    assert "1 条捐赠" in out
    assert Donation.objects.get(unit=cppcc, date=date(2021, 7, 1), donor__name=names[0]).amount_fen == 200000
    path.write_bytes(text.replace("捐款", "捐书").encode("gb18030"))
    _, problems = refused(path, "--unit", "cppcc")
    assert problems == ["捐赠!D2: 未知的类别“捐书”（应为捐款、捐物（折价）、捐赠物品（计件）之一）"]


def test_a_sheet_named_for_a_type_without_its_headers_is_a_problem_not_skipped(cppcc, tmp_path):
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    book.active.title = "捐赠"
    book.active.append(["姓名", "钱"])
    book.active.append(["张三", 100])
    book.save(path)
    _, problems = refused(path, "--unit", "cppcc")
    assert problems == ["捐赠!A1: 前 10 行内没有捐赠的表头行（应有“日期”“捐赠方”“类别”等列）"]


def test_an_adoption_names_a_submission_of_the_same_workbook_and_its_issue(cppcc, names, tmp_path):
    path = tmp_path / "台账.xlsx"
    clerk_book(path, names)
    book = load_workbook(path)
    sheet = book.create_sheet("采用情况")
    sheet.append(["被采用信息", "采用级别", "采用时间", "采用刊物"])
    sheet.append(["关于农村养老服务的建议", "市", "2021年3月20日", "《各界反映》第27期"])
    sheet.append(["没有报送过的信息", "省级", "2021-03-21", "《政协信息》"])
    book.save(path)
    _, problems = refused(path, "--unit", "cppcc")
    assert problems == [
        f"采用情况!A3: {cppcc.name}没有标题为“没有报送过的信息”的报送信息（可在同一工作簿的“报送信息”表中一并导入）"
    ]
    sheet.delete_rows(3)
    book.save(path)
    out, _ = run("import", path, "--unit", "cppcc")
    assert "1 条信息采用" in out
    adoption = Submission.objects.get(unit=cppcc, title="关于农村养老服务的建议").adoptions.get()
    assert (adoption.level, adoption.publication, adoption.issue_year, adoption.issue_no, adoption.date) == (
        "city",
        "《各界反映》",
        2021,
        27,
        date(2021, 3, 20),
    )
