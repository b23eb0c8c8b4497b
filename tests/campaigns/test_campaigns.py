"""Donations are exact and checked; the CPPCC demo carries the seed's epidemic figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.campaigns import services
from taizhang.campaigns.models import Donation
from taizhang.core.money import format_yuan_about
from taizhang.core.periods import Period
from taizhang.documents.summary.facts import summary_facts
from tests.seedfigures import cppcc_seed, figures

H1 = Period.parse("2020H1")


def test_the_demo_carries_the_seeds_donation_figures(cppcc, seed_texts):
    seed = figures(cppcc_seed(seed_texts))
    donations = summary_facts(unit=cppcc, period=H1).records["donations"]

    def fen(group, kind):
        return sum(
            d.info["amount_fen"] for d in donations if d.info["donor_group"] == group and d.kind == kind
        )

    assert fen("staff", "money") > seed["staff_yuan_more_than"] * 100
    assert fen("members", "money") > seed["members_wan_more_than"] * 1_000_000
    assert format_yuan_about(fen("members", "money")) == f"{seed['members_wan_more_than']}万余元"
    assert fen("members", "goods") == seed["goods_wan"] * 1_000_000
    assert sum(d.info["item_count"] or 0 for d in donations if d.info["item_name"] == "口罩") == seed["masks"]
    assert Decimal(fen("staff", "money") + fen("members", "money")) == sum(
        Donation.objects.filter(unit=cppcc, kind="money", date__lte=H1.end).values_list(
            "amount_fen", flat=True
        )
    )


@pytest.mark.parametrize("amount", ["-100", "abc", "12.345", ""])
def test_negative_or_non_numeric_amounts_are_field_errors_and_nothing_is_written(cppcc, amount):
    before = Donation.all_objects.count()
    with pytest.raises(ValidationError) as info:
        services.donation_create(
            unit=cppcc, date=date(2020, 3, 1), donor_group="staff", kind="money", amount=amount
        )
    assert "金额" in info.value.message_dict["amount"][0]
    assert Donation.all_objects.count() == before


def test_fen_must_be_an_integer_never_a_float(cppcc):
    with pytest.raises(ValidationError):
        services.donation_create(
            unit=cppcc, date=date(2020, 3, 1), donor_group="staff", kind="money", amount_fen=1.5
        )
    with pytest.raises(ValidationError):
        services.donation_create(
            unit=cppcc, date=date(2020, 3, 1), donor_group="staff", kind="money", amount_fen=-1
        )


def test_items_need_a_count_and_a_measure(cppcc):
    with pytest.raises(ValidationError) as info:
        services.donation_create(
            unit=cppcc, date=date(2020, 3, 1), donor_group="members", kind="items", item_name="口罩"
        )
    assert {"item_count", "item_unit"} <= set(info.value.message_dict)


def test_the_api_refuses_a_negative_amount_naming_the_field(admin_client, cppcc):
    before = Donation.all_objects.count()
    response = admin_client.post(
        "/api/donations/",
        {"unit": "cppcc", "date": "2020-03-01", "donor_group": "staff", "kind": "money", "amount": "-5"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "amount" in response.json()
    assert Donation.all_objects.count() == before
    ok = admin_client.post(
        "/api/donations/",
        {"unit": "cppcc", "date": "2020-03-01", "donor_group": "staff", "kind": "money", "amount": "1.8万"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["amount_fen"] == 1_800_000 and ok.json()["amount_display"] == "1.8万元"


def test_the_donation_form_shows_the_amount_error(cppcc_clerk):
    page = cppcc_clerk.post(
        reverse("campaigns:donation-create") + "?unit=cppcc",
        {"unit": "cppcc", "date": "2020-03-01", "donor_group": "staff", "kind": "money", "amount": "abc"},
    )
    assert page.status_code == 200 and "不是数字" in page.content.decode()


def test_the_donation_page_shows_amounts_as_documents_write_them(cppcc_clerk, cppcc):
    donation = Donation.objects.filter(unit=cppcc, donor_group="members", kind="goods").first()
    html = cppcc_clerk.get(reverse("campaigns:donation-detail", args=[donation.pk])).content.decode()
    assert "万元" in html


def test_selections_and_volunteering_refuse_bad_input(cppcc, school):
    from taizhang.org.models import Person

    stranger = Person.objects.filter(unit__path__startswith=school.path).first()
    with pytest.raises(ValidationError) as info:
        services.volunteer_activity_create(unit=cppcc, date=None, title="", hours=-1, participants=[stranger])
    assert {"date", "title", "hours", "participants"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError) as info:
        services.selection_create(unit=cppcc, title="评选", date=date(2020, 6, 1), winners=" ")
    assert "winners" in info.value.message_dict


def test_the_campaign_page_totals_its_donations(cppcc_clerk, cppcc):
    from taizhang.campaigns.models import Campaign

    campaign = Campaign.objects.get(unit=cppcc, title="疫情防控主题宣传")
    totals = cppcc_clerk.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).context["totals"]
    shown = {(row["group"], row["kind"]): row["total"] for row in totals}
    assert shown[("政协委员（会员）", "捐物（折价）")] == "54.7万元"
    assert shown[("政协委员（会员）", "捐赠物品（计件）")] == "口罩5600个"
    assert shown[("机关干部", "捐款")].endswith("万元")
