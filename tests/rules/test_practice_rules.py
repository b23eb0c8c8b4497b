"""The practice modules (reporting, review, risks, channels) as the rules engine counts them.

The CPPCC demo carries the seed's figures for the first half of 2020, the school demo a small
year; the checks must report them truthfully, and a record that breaks a rule must flip it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from taizhang.channels.models import Channel
from taizhang.core.periods import Period
from taizhang.org.models import Person, UnitKind
from taizhang.org.services import unit_create
from taizhang.review.models import Draft, DraftState
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus
from taizhang.rules.check import compliance
from taizhang.rules.todo import todo_for

H1 = Period.parse("2020H1")
PRACTICE_RULES = {
    "public_sentiment",
    "information_adoption",
    "publicity_articles",
    "three_review",
    "channel_registration",
    "risk_points_reviewed",
    "high_risks_reviewed",
}


def figures(check) -> dict[tuple[str, str], tuple[float, float, str]]:
    return {(r.requirement, r.period.code): (r.required, r.actual, r.status) for r in check.results}


def seed_figure(seed_texts: dict[str, str], pattern: str) -> int:
    found = [int(m.group(1)) for text in seed_texts.values() for m in re.finditer(pattern, text)]
    assert found, pattern
    return found[0]


def test_cppcc_first_half_counts_the_seed_figures(cppcc, seed_texts):
    got = figures(compliance(unit=cppcc, window=H1))
    gejie = seed_figure(seed_texts, r"《各界反映》(\d+)期")
    diaoyan = seed_figure(seed_texts, r"《政協調研》(\d+)期")
    articles = seed_figure(seed_texts, r"宣傳稿件(\d+)餘篇")
    assert (gejie, diaoyan, articles) == (27, 3, 60)
    # the 《各界反映》 issues are public-sentiment submissions; the 《政协调研》 ones research reports
    assert got[("public_sentiment", "2020H1")] == (2, gejie, "met")
    adoptions = got[("information_adoption", "2020")]
    assert adoptions[1] >= gejie + diaoyan and adoptions[2] == "met"
    _, actual, status = got[("publicity_articles", "2020")]
    assert actual > articles and status == "met"
    assert got[("three_review", "2020H1")] == (5, 5, "met")  # the pending sixth draft is not published
    assert got[("channel_registration", "2020H1")] == (5, 5, "met")
    assert got[("risk_points_reviewed", "2020H1")] == (1, 2, "met")
    # the one high risk was mitigated: no open high risk, nothing overdue
    assert got[("high_risks_reviewed", "2020Q2")] == (0, 0, "met")
    assert {code for code, _ in got} >= PRACTICE_RULES


def test_school_year_reports_its_thin_publicity_and_its_reviewed_items(school):
    got = figures(compliance(unit=school, window=Period.parse("2020")))
    # the school seed: 新闻稿件在报纸杂志上刊登数量不多 — 5 articles against a default of 10
    assert got[("publicity_articles", "2020")] == (10, 5, "overdue")
    assert got[("three_review", "2020H1")] == (1, 1, "met") and got[("three_review", "2020H2")] == (
        1,
        1,
        "met",
    )
    assert got[("channel_registration", "2020H2")] == (3, 3, "met")
    assert got[("risk_points_reviewed", "2020H2")][2] == "met"
    # submission targets are the organ's (CPPCC) rules, not a school branch's
    assert ("public_sentiment", "2020H1") not in got and ("information_adoption", "2020") not in got


def test_a_published_item_without_three_reviews_flips_the_rule(cppcc):
    author = Person.objects.filter(unit__path__startswith=cppcc.path).first()
    imported = Draft.objects.create(
        unit=cppcc,
        author=author,
        title="未经审核直接发布的稿件",
        text="（导入）",
        date=date(2020, 5, 19),
        state=DraftState.PUBLISHED,
        published_on=date(2020, 5, 20),
    )
    assert figures(compliance(unit=cppcc, window=H1))[("three_review", "2020H1")] == (6, 5, "overdue")
    mid = compliance(unit=cppcc, window=H1, as_of=date(2020, 5, 25))
    assert figures(mid)[("three_review", "2020H1")][2] == "behind"
    imported.state, imported.published_on = DraftState.APPROVED, None  # unpublished
    imported.save()
    assert figures(compliance(unit=cppcc, window=H1))[("three_review", "2020H1")] == (5, 5, "met")


def test_a_channel_not_reviewed_for_more_than_six_months_flips_the_rule(cppcc):
    channel = Channel.objects.filter(unit=cppcc).order_by("id").first()
    Channel.objects.filter(pk=channel.pk).update(last_reviewed_on=date(2019, 11, 30))
    assert figures(compliance(unit=cppcc, window=H1))[("channel_registration", "2020H1")] == (5, 4, "overdue")
    Channel.objects.filter(pk=channel.pk).update(registered_on=None, last_reviewed_on=None)
    assert figures(compliance(unit=cppcc, window=H1))[("channel_registration", "2020H1")] == (5, 4, "overdue")
    Channel.objects.filter(pk=channel.pk).update(
        registered_on=date(2020, 2, 10), last_reviewed_on=date(2020, 6, 1)
    )
    assert figures(compliance(unit=cppcc, window=H1))[("channel_registration", "2020H1")] == (5, 5, "met")


def test_a_unit_without_channels_or_publications_has_nothing_violated(cppcc):
    unit_create(code="new-organ", name="新设机关", kind=UnitKind.ORGAN, parent=cppcc)
    check = compliance(unit=cppcc, window=H1, with_children=True)
    new = next(pk for pk, unit in check.units.items() if unit.code == "new-organ")
    got = {
        (r.requirement, r.period.code): (r.required, r.actual, r.status)
        for r in check.results
        if r.unit == new
    }
    assert got[("three_review", "2020H1")] == (0, 0, "met")
    assert got[("channel_registration", "2020H1")] == (0, 0, "met")
    assert got[("publicity_articles", "2020")][2] == "behind"


@pytest.fixture
def overdue_high_risk(cppcc) -> RiskPoint:
    from taizhang.risks.services import risk_point_update

    risk = RiskPoint.objects.get(unit=cppcc, level=RiskLevel.HIGH)
    # Reopened, as if it had never been mitigated: open through the whole half year.
    return risk_point_update(
        record=risk, expected_version=risk.version, status=RiskStatus.OPEN, review_date=date(2020, 5, 31)
    )


def test_an_open_high_risk_past_its_review_date_is_a_violation(cppcc, overdue_high_risk):
    got = figures(compliance(unit=cppcc, window=H1))
    assert got[("high_risks_reviewed", "2020Q1")] == (1, 1, "met")  # not yet due at the end of March
    assert got[("high_risks_reviewed", "2020Q2")] == (1, 0, "overdue")


def test_an_open_high_risk_past_its_review_date_is_on_the_todo_list(cppcc, overdue_high_risk):
    items = todo_for(unit=cppcc, today=date(2020, 6, 10))
    [risk] = [item for item in items if item.kind == "risk"]
    assert risk.overdue and risk.due == date(2020, 5, 31) and risk.person == overdue_high_risk.owner
    assert overdue_high_risk.title in risk.title
    assert items[0].overdue  # overdue items first
    before = todo_for(unit=cppcc, today=date(2020, 5, 30))
    assert not [item for item in before if item.kind == "risk"]
