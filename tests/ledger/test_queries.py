"""Counting from the ledger: the seed's figures, and counts that do not grow with the number of units."""

import re

from taizhang.core.periods import Period
from taizhang.ledger import queries
from taizhang.org.models import Unit, UnitKind
from taizhang.org.queries import unit_subtree
from taizhang.org.services import unit_create

# How the CPPCC seed (traditional script) names each count, and our kind code for it.
SEED_PHRASES = {
    "central_group_study": "中心組學習",
    "seminar": "專題研討",
    "collective_study": "集中學習",
    "cell_study": "黨小組學習",
    "theme_day": "主題黨日",
}


def seed_counts(text: str) -> dict[str, int]:
    """The counts the seed states in its sentence '開展機關黨組中心組學習4次，…'."""
    sentence = re.search(r"今年以來[,，]開展(.+?)。", text).group(1)
    out = {}
    for code, phrase in SEED_PHRASES.items():
        match = re.search(re.escape(phrase) + r"(\d+)次", sentence)
        out[code] = int(match.group(1))
    return out


def test_the_cppcc_half_year_counts_equal_the_seed(cppcc, seed_texts):
    text = next(t for t in seed_texts.values() if "政協機關" in t)
    expected = seed_counts(text)
    assert expected == {
        "central_group_study": 4,
        "seminar": 2,
        "collective_study": 8,
        "cell_study": 6,
        "theme_day": 6,
    }
    counts = queries.kind_counts(unit=cppcc, period=Period.parse("2020H1"))
    assert {code: counts.get(code, 0) for code in expected} == expected
    # The seed also says the organ studies ideology at least twice a year, reports upward and meets jointly.
    assert counts["ideology_session"] >= 1 and counts["joint_meeting"] >= 1 and counts["report_upward"] >= 1


def test_children_are_counted_only_when_asked(cppcc):
    period = Period.parse("2020H1")
    own = queries.kind_counts(unit=cppcc, period=period)
    with_children = queries.kind_counts(unit=cppcc, period=period, with_children=True)
    assert with_children["collective_study"] > own["collective_study"]
    assert with_children["central_group_study"] == own["central_group_study"]


def test_periods_narrow_the_counts(cppcc):
    q1 = queries.kind_counts(unit=cppcc, period=Period.parse("2020Q1"))
    q2 = queries.kind_counts(unit=cppcc, period=Period.parse("2020Q2"))
    half = queries.kind_counts(unit=cppcc, period=Period.parse("2020H1"))
    assert {k: q1.get(k, 0) + q2.get(k, 0) for k in half} == half
    assert queries.kind_counts(unit=cppcc, period=Period.parse("2020-05"))["theme_day"] == 1
    h2 = queries.kind_counts(unit=cppcc, period=Period.parse("2020H2"))
    year = queries.kind_counts(unit=cppcc, period=Period.parse("2020"))
    assert {k: half.get(k, 0) + h2.get(k, 0) for k in year} == year
    assert queries.kind_counts(unit=cppcc, period=Period.parse("2021H1")) == {}


def test_monthly_counts_add_up_to_the_period_counts(school):
    period = Period.parse("2020")
    monthly = queries.monthly_counts(unit=school, period=period)
    counts = queries.kind_counts(unit=school, period=period)
    assert {kind: sum(months.values()) for kind, months in monthly.items()} == counts
    assert "2020-02" not in monthly["micro_lesson"]  # the school's missed February lesson shows as a gap


def test_counting_all_units_is_one_query_however_many_units(cppcc, django_assert_max_num_queries):
    region = unit_create(code="another-county", name="某县", kind=UnitKind.REGION)
    for i in range(30):
        unit_create(code=f"u{i}", name=f"单位{i}", kind=UnitKind.ORGAN, parent=region)
    with django_assert_max_num_queries(1):
        counts = queries.kind_counts_by_unit(units=Unit.objects.all(), period=Period.parse("2020"))
    assert counts[cppcc.pk]["central_group_study"] == 4 + 5  # the seed's half year and the demo's second
    with django_assert_max_num_queries(1):
        subtree = queries.kind_counts_by_unit(units=unit_subtree(cppcc), period=Period.parse("2020"))
    assert set(subtree) == set(
        unit_subtree(cppcc).filter(activities__isnull=False).values_list("pk", flat=True)
    )
