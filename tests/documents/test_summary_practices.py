"""The summary states what the practice modules record: the seed's figures, counted from the ledger.

Issue 5's "done when": the CPPCC summary for 2020H1 states the submissions, publications, publicity
and donation figures of the seed. The seed's figures are read from the seed text (traditional
script), never copied; each figure the summary states is compared with them and with its records.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import opencc

from taizhang.campaigns.models import Donation, DonorGroup
from taizhang.channels.models import Channel
from taizhang.core.periods import Period
from taizhang.documents.output.scripts import in_script
from taizhang.documents.summary.queries import summary_for
from taizhang.reporting.models import Adoption, Article, Submission
from taizhang.reporting.services import adoption_delete
from tests.seedfigures import cppcc_seed, figures

H1 = Period.parse("2020H1")
WRITTEN = date(2020, 7, 6)


def _summary(unit):
    return summary_for(unit=unit, period=H1, written_on=WRITTEN)


def _amount(written: str) -> tuple[Decimal, bool]:
    """ "157.3万余元" / "157.3萬餘元" / "18000餘元" → (yuan, whether it says 余/more than)."""
    match = re.fullmatch(r"([\d.]+)(万|萬)?(余|餘)?元", written)
    assert match, written
    yuan = Decimal(match.group(1)) * (10_000 if match.group(2) else 1)
    return yuan, bool(match.group(3))


def _stated(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


def test_the_cppcc_half_year_summary_states_the_seeds_figures_from_the_ledger(cppcc, seed_texts):
    seed_text = re.sub(r"\s+", "", cppcc_seed(seed_texts))
    seed = figures(seed_text)
    doc = _summary(cppcc)
    text = doc.text

    # Submissions and publications: 《各界反映》27期, 《政協調研》3期.
    assert int(_stated(text, r"《各界反映》(\d+)期")) == seed["gejie_issues"]
    assert int(_stated(text, r"《政协调研》(\d+)期")) == seed["research_issues"]
    assert doc.figures["adoptions.《各界反映》"].value == seed["gejie_issues"]

    # Publicity: the seed says 60余篇 in county-or-higher media; the summary states the exact count.
    articles = doc.figures["articles.county"].value + doc.figures["articles.higher"].value
    assert "县级媒体" in text
    assert seed["articles_more_than"] < articles < seed["articles_more_than"] + 10

    # Donations, written the seed's way: cut (never rounded up) and marked 余 when cut.
    staff = _stated(text, r"干部职工捐款([\d.]+万?余?元)")
    seed_staff = _stated(seed_text, r"捐款捐物(\d+餘元)")
    assert _amount(staff) == _amount(seed_staff)  # 1.8万余元 == 18000餘元
    members = _stated(text, r"委员捐款([\d.]+万?余?元)")
    assert _amount(members) == (seed["members_wan_more_than"] * 10_000, True)
    goods = _stated(text, r"捐赠物资价值([\d.]+万?余?元)")
    assert _amount(goods) == (seed["goods_wan"] * 10_000, False)
    assert int(_stated(text, r"口罩(\d+)个")) == seed["masks"]

    # The money figures keep the exact fen behind the written amount.
    fen = doc.figures["donations.members.money"].value
    assert Decimal(fen) / 100 > _amount(members)[0]
    assert fen == sum(
        Donation.objects.filter(pk__in=doc.figures["donations.members.money"].record_ids).values_list(
            "amount_fen", flat=True
        )
    )


def test_practice_figures_name_exactly_their_module_records(cppcc):
    doc = _summary(cppcc)
    # The module figures cover the organ and its offices (the offices report and publish too).
    in_h1 = {"date__gte": H1.start, "date__lte": H1.end}

    def ids(key):
        return set(doc.figures[key].record_ids)

    def ids_or_none(key):
        return ids(key) if key in doc.figures else set()

    assert ids("adoptions.《各界反映》") == set(
        Adoption.objects.filter(
            submission__unit__path__startswith=cppcc.path, publication="《各界反映》", **in_h1
        ).values_list("id", flat=True)
    )
    assert {
        i
        for k in ("work_info", "public_sentiment", "research_report")
        for i in ids_or_none(f"submissions.{k}")
    } == set(
        Submission.objects.filter(unit__path__startswith=cppcc.path, **in_h1).values_list("id", flat=True)
    )
    assert ids("articles.county") | ids("articles.higher") == set(
        Article.objects.filter(unit__path__startswith=cppcc.path, **in_h1).values_list("id", flat=True)
    )
    assert ids("donations.staff.money") == set(
        Donation.objects.filter(unit=cppcc, donor_group=DonorGroup.STAFF, **in_h1).values_list(
            "id", flat=True
        )
    )
    assert ids("channels") == set(Channel.objects.filter(unit=cppcc).values_list("id", flat=True))
    # Ids of another table are named as such, never read as activities.
    assert {t for t, _ in doc.figures["adoptions.《各界反映》"].records} == {"adoptions"}
    assert {t for t, _ in doc.figures["donations.staff.money"].records} == {"donations"}
    assert {t for t, _ in doc.figures["leadership.assessment"].records} == {"activities"}
    assert {t for t, _ in doc.figures["study.seminar"].records} == {"activities"}


def test_soft_deleting_an_adoption_changes_the_figure_in_the_next_summary(cppcc):
    before = _summary(cppcc)
    assert "《各界反映》27期" in before.text
    adoption = (
        Adoption.objects.filter(
            submission__unit=cppcc, publication="《各界反映》", date__lte=date(2020, 6, 30)
        )
        .order_by("issue_no")
        .last()
    )
    adoption_delete(record=adoption)
    after = _summary(cppcc)
    assert "《各界反映》26期" in after.text
    assert adoption.pk not in after.figures["adoptions.《各界反映》"].record_ids
    assert after.figures["adoptions.《各界反映》"].value == before.figures["adoptions.《各界反映》"].value - 1


def test_a_module_without_records_is_left_out_not_invented(cppcc):
    Article.objects.filter(unit__path__startswith=cppcc.path).update(deleted=True)
    Channel.objects.filter(unit__path__startswith=cppcc.path).update(deleted=True)
    doc = _summary(cppcc)
    assert "articles.county" not in doc.figures and "channels" not in doc.figures
    assert "刊发宣传稿件" not in doc.text and "个阵地" not in doc.text
    assert "《各界反映》27期" in doc.text  # the submissions are still told


def test_the_traditional_script_converts_the_practice_figures_too(cppcc):
    doc = in_script(_summary(cppcc), "traditional")
    for written in ("《各界反映》27期", "《政協調研》3期", "157.3萬餘元", "54.7萬元", "口罩5600個"):
        assert written in doc.text, written
    assert opencc.OpenCC("s2hk").convert(doc.text) == doc.text  # the seed's (Hong Kong) standard
    assert doc.figures["donations.staff.money"].unit == "元"


def test_the_practice_figures_cost_the_same_queries_however_many_records(cppcc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.reporting.models import Level
    from taizhang.reporting.services import article_create

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            _summary(cppcc)
        return len(run)

    before = queries()
    for n in range(5):
        article_create(
            unit=cppcc,
            date=date(2020, 6, 1 + n),
            title=f"补录稿件{n}",
            outlet="市日报",
            outlet_level=Level.CITY,
        )
    assert queries() == before
    assert _summary(cppcc).figures["articles.higher"].value > 5
