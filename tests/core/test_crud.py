"""The record lists' unit filter: a unit chosen from a select of the login's units, never typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from taizhang.org.models import Unit
from tests.html import options, table

LISTS = ["ledger:activity-list", "reporting:submission-list", "risks:risk-list", "campaigns:donation-list"]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_offers_the_logins_units_in_a_select(cppcc_clerk, cppcc, name):
    html = cppcc_clerk.get(reverse(name)).content.decode()
    choices = options(html, "unit")
    assert choices[0][:2] == ("", "全部单位")
    labels = [label for _, label, _ in choices[1:]]
    assert labels[0] == cppcc.name, "the organisation first"
    offices = set(Unit.objects.filter(parent=cppcc).values_list("name", flat=True))
    assert {label.strip() for label in labels[1:]} == offices
    assert all(label.startswith("\u3000") for label in labels[1:]), "offices indented under it"


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_unit_is_a_form_error_on_the_list(cppcc_clerk, name):
    page = cppcc_clerk.get(reverse(name) + "?unit=school")
    assert page.status_code == 400
    html = page.content.decode()
    assert "没有代码为“school”的单位，或您无权查看。" in html
    assert options(html, "unit"), "the page still offers the units to choose from"


def test_choosing_a_unit_keeps_it_selected_and_narrows_the_list(cppcc_clerk):
    page = cppcc_clerk.get(reverse("ledger:activity-list") + "?unit=cppcc-proposal")
    assert page.status_code == 200
    html = page.content.decode()
    assert [v for v, _, chosen in options(html, "unit") if chosen] == ["cppcc-proposal"]
    rows = table(html, "grid")[1:]
    assert rows and all("提案" in " ".join(r) for r in rows)


def test_the_ranking_shows_the_current_year_until_a_period_is_chosen(cppcc_clerk):
    html = cppcc_clerk.get(reverse("reporting:ranking")).content.decode()
    assert f'value="{date.today().year}"' in html
    chosen = cppcc_clerk.get(reverse("reporting:ranking") + "?period=2020H1").content.decode()
    assert table(chosen, "grid")[1][1] == "县政协机关"


def test_the_ranking_is_in_the_menu(cppcc_clerk):
    html = cppcc_clerk.get("/").content.decode()
    assert f'href="{reverse("reporting:ranking")}"' in html
