"""The compliance matrix, the to-do page and the API, as a clerk sees them."""

from __future__ import annotations

from tests.html import options, table


def test_matrix_colours_the_missing_micro_lesson_and_links_to_the_records(school_clerk):
    page = school_clerk.get("/rules/?unit=school&period=2020")
    html = page.content.decode()
    assert page.status_code == 200
    assert "领导干部每月讲一堂微党课" in html
    assert 'class="overdue"' in html
    assert "/ledger/activities/?unit=school&amp;kind=micro_lesson&amp;period=2020" in html
    assert "2020-02：0/1 逾期未完成" in html


def test_another_organisations_unit_is_a_form_error_that_reveals_nothing(school_clerk):
    for url in ("/rules/?unit=cppcc&period=2020H1", "/rules/todo/?unit=cppcc"):
        page = school_clerk.get(url)
        html = page.content.decode()
        assert page.status_code == 400
        assert "没有代码为“cppcc”的单位，或您无权查看。" in html
        assert "政协" not in html
        assert [label.strip() for _, label, _ in options(html, "unit")] == [
            "县实验中学党支部",
            "县实验中学第一党小组",
            "县实验中学第二党小组",
            "县实验中学第三党小组",
        ]
    for url in ["/api/compliance/?unit=cppcc&period=2020H1", "/api/todo/?unit=cppcc"]:
        response = school_clerk.get(url)  # the page's words, on the parameter: a 400, not a 404
        assert response.status_code == 400
        assert response.json() == {"unit": ["没有代码为“cppcc”的单位，或您无权查看。"]}


def test_bad_period_on_the_page_is_a_message_not_a_crash(cppcc_clerk):
    page = cppcc_clerk.get("/rules/?unit=cppcc&period=2020H3")
    assert page.status_code == 400
    assert "2020H3" in page.content.decode()


def test_todo_page_lists_what_is_due(cppcc_clerk):
    page = cppcc_clerk.get("/rules/todo/?unit=cppcc&as_of=2020-12-10")
    assert page.status_code == 200
    assert "每半年向上级党组织报告意识形态工作（2020年下半年）" in page.content.decode()


def test_a_requirement_missed_month_after_month_is_one_line_naming_the_months(cppcc_clerk, cppcc):
    from taizhang.ledger.models import Activity

    Activity.objects.filter(
        unit=cppcc, kind__code="theme_day", date__year=2020, date__month__in=[7, 8, 9]
    ).delete()
    rows = table(cppcc_clerk.get("/rules/todo/?unit=cppcc&as_of=2020-12-10").content.decode(), "todo")
    theme_days = [r for r in rows if "每月开展主题党日" in r[2] and "逾期" in r[0]]
    assert len(theme_days) == 1, theme_days  # not three lines
    assert theme_days[0][2] == "每月开展主题党日（2020年7月） 之后各期也未完成：2020年8月、2020年9月"


def test_api_returns_the_check_rows(cppcc_clerk):
    rows = cppcc_clerk.get("/api/compliance/?unit=cppcc&period=2020H1").json()
    joint = next(r for r in rows if r["requirement"] == "joint_meeting")
    assert (joint["actual"], joint["status"]) == (1, "met")
    bad = cppcc_clerk.get("/api/compliance/?unit=cppcc&period=2020H3")
    assert bad.status_code == 400 and "period" in bad.json()
    todo = cppcc_clerk.get("/api/todo/?unit=cppcc&as_of=2020-12-10").json()
    assert any(i["requirement"] == "report_upward" for i in todo)


def test_admin_shows_the_loaded_framework_read_only(admin_client, cppcc):
    admin_client.get("/rules/?unit=cppcc&period=2020H1")  # loads the default framework
    page = admin_client.get("/admin/rules/framework/")
    assert page.status_code == 200
    assert "ideology" in page.content.decode()


def test_api_schema_documents_the_compliance_endpoint(admin_client):
    schema = admin_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/compliance/" in schema.content and b"with_children" in schema.content


def test_matrix_cells_of_the_practice_modules_link_to_their_records(cppcc_clerk):
    html = cppcc_clerk.get("/rules/?unit=cppcc&period=2020H1").content.decode()
    assert "发布内容全部经过三审" in html and "自有阵地全部备案并每半年检查" in html
    assert "/review/drafts/?unit=cppcc&amp;period=2020H1" in html
    assert "/channels/channels/?unit=cppcc&amp;period=2020H1" in html
    assert "/reporting/submissions/?unit=cppcc&amp;period=2020H1" in html


def test_api_check_includes_the_practice_modules(cppcc_clerk):
    rows = cppcc_clerk.get("/api/compliance/?unit=cppcc&period=2020H1").json()
    got = {(r["requirement"], r["period"]): (r["required"], r["actual"], r["status"]) for r in rows}
    assert got[("three_review", "2020H1")] == (5, 5, "met")
    assert got[("public_sentiment", "2020H1")] == (2, 27, "met")


def _matrix(client, query: str) -> list[list[str]]:
    """The matrix as it reads before anything is tapped: a requirement's title without the line
    naming who answers for it, a cell's status and figures without its folded 明细."""
    page = client.get(f"/rules/?{query}")
    assert page.status_code == 200
    rows = table(page.content.decode(), "matrix")
    return [[row[0].split("责任：")[0], *(cell.split(" 明细")[0] for cell in row[1:])] for row in rows]


def test_a_cell_that_falls_short_says_why_on_tap_and_the_row_who_answers(cppcc_clerk, cppcc):
    from taizhang.ledger.models import Activity

    Activity.objects.filter(unit=cppcc, kind__code="joint_meeting").update(minutes="")
    rows = table(cppcc_clerk.get("/rules/?unit=cppcc&period=2020H1").content.decode(), "matrix")
    joint = next(r for r in rows if r[0].startswith("每半年召开意识形态工作联席会议"))
    assert joint[0].endswith("责任：分管领导 邓佳庆")
    assert joint[1] == "逾期未完成 0/1 明细 2020年上半年：0/1 逾期未完成；未计入：缺少会议记录 1 条"


def test_a_quarterly_rule_over_a_year_counts_quarters_met_not_a_sum(cppcc_clerk, cppcc):
    from taizhang.ledger.models import Activity

    studies = Activity.objects.filter(unit=cppcc, kind__code="central_group_study", date__year=2020)
    studies.filter(date__month__gte=7).update(date="2020-03-16")  # the second half's studies, all in March
    assert studies.count() >= 4
    rows = _matrix(cppcc_clerk, "unit=cppcc&period=2020")
    study = next(r for r in rows if r[0] == "理论学习中心组每季度至少学习1次")
    assert study[1] == "逾期未完成 2/4 个季度达标"  # as many studies as quarters, but two quarters had none


def test_matrix_has_units_across_in_tree_order_and_requirements_down_by_area(school_clerk):
    rows = _matrix(school_clerk, "unit=school&period=2020")
    assert rows[0] == ["要求", "实验中学党支部", "第一党小组", "第二党小组", "第三党小组"]
    titles = [r[0] for r in rows[1:]]
    assert "领导干部每月讲一堂微党课" in titles
    area_rows = [r for r in rows[1:] if all(c == "" for c in r[1:])]
    assert area_rows, "requirements are grouped under their work areas"
    assert titles.index(area_rows[0][0]) == 0


def test_matrix_says_not_applicable_where_a_rule_does_not_fit_the_unit_kind(school_clerk):
    rows = _matrix(school_clerk, "unit=school&period=2020")
    lesson = next(r for r in rows if r[0] == "领导干部每月讲一堂微党课")
    assert lesson[1].startswith("逾期未完成")
    assert lesson[2:] == ["不适用"] * 3
    assert not any(cell == "" for r in rows[1:] if any(r[1:]) for cell in r)


def test_matrix_shows_a_rate_as_a_percentage_against_its_target(cppcc_clerk):
    rows = _matrix(cppcc_clerk, "unit=cppcc&period=2020H1")
    rates = [cell for r in rows for cell in r[1:] if "目标" in cell]
    assert rates and all(cell.endswith("目标 80%") for cell in rates), rates


def test_a_rate_over_two_half_years_is_not_their_sum(school_clerk):
    yearly = _matrix(school_clerk, "unit=school&period=2020")
    cells = [cell for r in yearly for cell in r[1:] if "目标" in cell]
    assert cells and all(float(c.split()[1].split("%")[0]) <= 100 for c in cells), cells
