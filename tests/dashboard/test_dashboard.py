"""The leader's dashboard as the county leader reads it: figures that agree with the engine's own."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from taizhang.core.periods import Period
from taizhang.org.models import Area, Unit
from taizhang.org.queries import tree_order
from taizhang.rules import score
from taizhang.rules.check import compliance
from taizhang.rules.engine import MET, NOT_MEASURED
from taizhang.rules.matrix import fold
from taizhang.rules.models import Requirement
from taizhang.rules.requirements import rules_of
from tests.html import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_leader(client):
    client.force_login(get_user_model().objects.get(username="county-leader"))
    return client


def _table(html: str, key: str) -> list[list[str]]:
    return table(html, f"table-{key}")


def _figure(value):
    """A cell as a number when it is one (the workbook stores 104.0 as 104), else its text."""
    if value is None or value == "—":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _met_share(unit: Unit, area_code: str) -> str:
    """What the engine says for one heatmap cell: met periods / judged periods of the area, in %."""
    check = compliance(unit=unit, window=Period(2020, "year"), with_children=True)
    area_of = dict(Requirement.objects.filter(framework=check.framework).values_list("code", "area"))
    judged = [
        r for r in check.results if r.status != NOT_MEASURED and area_of.get(r.requirement) == area_code
    ]
    if not judged:
        return "—"
    return str(round(100 * sum(r.status == MET for r in judged) / len(judged)))


def test_the_county_leader_sees_every_unit_of_the_county_with_the_engines_figures(county_leader):
    page = county_leader.get(reverse("home"))
    html = page.content.decode()
    assert page.status_code == 200 and "清源县" in html and "2020年概览" in html
    heat = _table(html, "heatmap")
    children = tree_order(Unit.objects.get(code="county").children.all())
    assert heat[0][1:] == [u.short_name or u.name for u in children]
    assert {"政协机关", "实验中学党支部", "人民医院支部", "城东社区支部"} <= set(heat[0])
    areas = list(Area.objects.order_by("order", "code"))
    for unit in (
        children[0],
        Unit.objects.get(code="county-hospital"),
        Unit.objects.get(code="county-office"),
    ):
        column = heat[0].index(unit.short_name)
        for row, area in zip(heat[1:], areas, strict=True):
            assert row[0] == area.name
            assert row[column] == _met_share(unit, area.code), (unit.code, area.code)
    # the spread is real: the diligent office outranks the lagging community branch
    ranking = _table(html, "ranking")
    names = [row[1] for row in ranking[1:]]
    assert names.index("县委办") < names.index("城东社区支部")


def test_the_ranking_is_the_score_sheet_summed_over_each_units_subtree(county_leader):
    html = county_leader.get(reverse("home")).content.decode()
    unit = Unit.objects.get(code="county-publicity")  # an organ with two offices under it
    check = compliance(unit=unit, window=Period(2020, "year"), with_children=True)
    rules = rules_of(check.framework)
    got = most = 0.0
    for pk in check.unit_kinds:
        s, m = score.total(score.score_lines(rules, check.results, unit=pk))
        got, most = got + s, most + m
    row = next(r for r in _table(html, "ranking")[1:] if r[1] == "宣传部")
    assert row[2] == str(round(100 * got / most, 1)) and row[3] == str(round(got, 1))


def test_a_charts_workbook_holds_the_same_figures_as_its_table(county_leader):
    html = county_leader.get(reverse("home")).content.decode()
    for key in ("heatmap", "ranking", "trend", "reporting"):
        shown = _table(html, key)
        response = county_leader.get(
            reverse("dashboard-export", args=[key]), {"unit": "county", "year": 2020}
        )
        assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
        sheet = load_workbook(BytesIO(response.content)).active
        rows = [[_figure(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert rows[1 : 1 + len(shown)] == [[_figure(v) for v in row] for row in shown], key


def test_a_figure_opens_the_records_behind_it(county_leader):
    html = county_leader.get(reverse("home")).content.decode()
    assert "/ledger/activities/?unit=county&amp;kind=central_group_study&amp;period=2020-03" in html
    listing = county_leader.get(
        "/ledger/activities/", {"unit": "county", "kind": "central_group_study", "period": "2020-03"}
    )
    trend = _table(html, "trend")
    march = next(r for r in trend if r[0] == "理论学习中心组学习")[3]
    assert int(march) > 0
    assert listing.status_code == 200 and f"共 {march} 条" in listing.content.decode()


def test_a_bad_year_is_a_form_error_not_a_crash(county_leader):
    page = county_leader.get(reverse("home"), {"year": "20x0"})
    assert page.status_code == 400 and "年度" in page.content.decode()


def test_clerks_and_members_do_not_get_a_leaders_dashboard(client):
    client.force_login(get_user_model().objects.get(username="cppcc-member"))
    assert client.get(reverse("home")).url == reverse("ledger:mine")
    assert client.get(reverse("dashboard-export", args=["heatmap"])).status_code == 404
    client.force_login(get_user_model().objects.get(username="school-clerk"))
    html = client.get(reverse("home")).content.decode()  # a clerk's home: the units they keep
    assert 'id="chart-heatmap"' not in html and "县实验中学第一党小组" in html and "县政协机关" not in html


def test_a_units_own_leader_sees_only_that_unit_on_the_dashboard(client):
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    html = client.get(reverse("home")).content.decode()
    assert "县政协机关" in html and "城东社区支部" not in html and "实验中学" not in html


def test_the_unit_page_shows_a_ring_per_requirement_as_the_matrix_folds_it(cppcc_clerk, cppcc):
    html = cppcc_clerk.get(reverse("org:unit-detail", args=["cppcc"]), {"period": "2020H1"}).content.decode()
    check = compliance(unit=cppcc, window=Period.parse("2020H1"))
    rules = {rule.code: rule for rule in rules_of(check.framework)}
    mine = [r for r in check.results if r.requirement == "collective_study" and r.unit == cppcc.pk]
    cell = fold(cppcc, rules["collective_study"], mine)
    assert f'aria-label="{rules["collective_study"].title}：{cell.percent}%"' in html
    assert "2/2 个季度达标" in html  # a quarterly rule over a half year: quarters met, not a sum
    assert "最近记录" in html and "2020年待办事项" in html


def test_a_ring_never_passes_100_nor_sums_a_surplus_over_a_missed_period(cppcc_clerk, cppcc):
    """Eight studies in the first quarter and none in the second are not 8/4 of "two a quarter"."""
    from taizhang.ledger.models import Activity

    Activity.objects.filter(unit=cppcc, kind__code="collective_study", date__month__gte=4).update(
        date="2020-03-15"
    )
    html = cppcc_clerk.get(reverse("org:unit-detail", args=["cppcc"]), {"period": "2020H1"}).content.decode()
    title = "干部集中学习每季度至少2次"
    assert f'aria-label="{title}：50%"' in html
    assert "1/2 个季度达标 · 逾期未完成" in html


def test_the_cppcc_leaders_home_shows_the_organs_own_standing_and_no_empty_comparison(client):
    from taizhang.ledger.models import Activity

    cppcc = Unit.objects.get(code="cppcc")
    Activity.objects.filter(
        unit=cppcc, kind__code="joint_meeting", date__year=2020, date__month__gte=7
    ).delete()
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    html = client.get(reverse("home"), {"year": 2020}).content.decode()
    assert "县政协机关2020年各项要求进度" in html
    behind = table(html, "behind")
    joint = next(row for row in behind if row[0] == "每半年召开意识形态工作联席会议")
    assert joint[1:4] == ["逾期未完成", "1/2 个半年达标", "邓佳庆 分管领导"]  # who answers for it
    # the leader reads; recording the missing meeting is the clerk's (no 登记 link offered here)
    assert 'href="/ledger/activities/new/?unit=cppcc&amp;kind=joint_meeting"' not in html
    # its offices have no requirement of their own: no heatmap, no ranking of nothing
    assert 'id="chart-heatmap"' not in html and "table-ranking" not in html


def test_the_county_dashboard_stays_on_the_year_most_units_are_in_and_the_year_chosen(county_leader):
    from taizhang.ledger.models import ActivityKind
    from taizhang.ledger.services import activity_create

    activity_create(
        unit=Unit.objects.get(code="county-office"),
        kind=ActivityKind.objects.get(code="collective_study"),
        date=timezone.localdate(),  # this year, which the other units have not reached
        topic="今年第一次学习",
    )
    assert "2020年概览" in county_leader.get(reverse("home")).content.decode()  # one unit ahead moves nothing
    county_leader.get(reverse("home"), {"year": 2019})
    assert "2019年概览" in county_leader.get(reverse("home")).content.decode()  # the year chosen stays


def test_the_county_to_do_table_is_a_line_per_unit_of_the_year(county_leader):
    html = county_leader.get(reverse("home"), {"year": 2020}).content.decode()
    rows = _table(html, "due")
    assert rows[0] == ["单位", "未完成", "事项"]  # a past year: what it left undone
    units = [row[0] for row in rows[1:]]
    assert len(units) == len(set(units)) <= 14  # one line per unit, never a line per item
    overdue = [int(row[1]) for row in rows[1:]]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > 0
    assert "（2020年1月）" in rows[1][2] and "2026" not in html.split("table-due")[1]


def test_equal_scores_are_tied_and_all_zero_is_no_ranking(db):
    from taizhang.dashboard.charts import _ranking

    units = list(Unit.objects.filter(code__in=["county-office", "county-hospital", "county-publicity"]))
    a, b, c = units
    tied = _ranking([[a.pk, 5, 10], [b.pk, 5, 10], [c.pk, 8, 10]], units, 2020)
    assert [row[0].value for row in tied.rows] == [1, "并列2", "并列2"]
    zero = _ranking([[a.pk, 0, 10], [b.pk, 0, 10], [c.pk, 0, 10]], units, 2020)
    assert zero.rows == [] and "各单位得分均为 0，不排名" in zero.note


def test_a_clerks_home_says_what_each_of_their_units_must_see_to(client):
    from taizhang.ledger.models import Activity

    Activity.objects.filter(
        unit__code="cppcc", kind__code="theme_day", date__year=2020, date__month=7
    ).delete()
    client.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    html = client.get(reverse("home"), {}).content.decode()
    card = html[html.index('<section class="home-card">') :]
    card = card[: card.index("</section>")]
    assert "县政协机关" in card and "已逾期 1 项，即将到期 0 项" in card
    assert "每月开展主题党日（2020年7月）" in card
    assert 'href="/ledger/activities/new/?unit=cppcc"' in card  # where to act
