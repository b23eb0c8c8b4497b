"""Reporting counts: the CPPCC demo yields the seed's 《各界反映》, 《政协调研》 and publicity figures."""

from taizhang.core.periods import Period
from taizhang.documents.summary.facts import summary_facts
from taizhang.org.models import Unit
from taizhang.reporting import queries
from taizhang.reporting.models import Adoption
from tests.seedfigures import cppcc_seed, figures

H1 = Period.parse("2020H1")


def test_the_summary_figures_match_the_seed(cppcc, seed_texts):
    seed = figures(cppcc_seed(seed_texts))
    facts = summary_facts(unit=cppcc, period=H1)

    def issues(publication):
        return {
            (a.info["issue_year"], a.info["issue_no"])
            for a in facts.records["adoptions"]
            if a.info["publication"] == publication
        }

    assert len(issues("《各界反映》")) == seed["gejie_issues"] == 27
    assert len(issues("《政协调研》")) == seed["research_issues"] == 3
    assert len(facts.records["publicity_articles"]) > seed["articles_more_than"]
    adopted = Adoption.objects.filter(pk__in=[a.id for a in facts.records["adoptions"]])
    tree = set(Unit.objects.filter(path__startswith=cppcc.path).values_list("pk", flat=True))
    assert {a.submission.unit_id for a in adopted} <= tree  # the organ's and its offices', no other


def test_measure_counts_are_one_query_per_table_for_all_units(cppcc, django_assert_max_num_queries):
    units = Unit.objects.all()
    with django_assert_max_num_queries(3):
        counts = queries.measure_counts(units=units, period=H1)
    mine = counts[cppcc.pk]
    assert mine["submissions"] == 30
    assert mine["adoptions"] == 30 + mine["adoptions_city_or_higher"]
    assert mine["publicity_articles"] > 60
    assert mine["reporting_points"] > mine["adoptions"]
    # the demo's generated units report in 2019 and 2020 (demo/county.py YEARS); 2018 has nothing
    assert queries.measure_counts(units=units, period=Period.parse("2018")) == {}


def test_the_ranking_puts_units_with_points_first(cppcc, school):
    rows = queries.ranking(units=Unit.objects.filter(pk__in=[cppcc.pk, school.pk]), period=H1)
    assert rows[0][0] == cppcc and rows[0][1] > 0
