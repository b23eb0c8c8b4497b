"""The unit chooser's search (``/org/units/?q=``): the units the login sees whose name or code
holds the words, each after the units above it, for a chooser too long to list them all."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def search(client, **query):
    return client.get(reverse("org:unit-search"), query)


def test_matches_come_with_the_units_above_them_indented_as_the_chooser(admin_client):
    response = search(admin_client, q="党小组")
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"code": "county", "name": "清源县", "label": "清源县", "match": False},
            {"code": "school", "name": "县实验中学党支部", "label": "\u3000县实验中学党支部", "match": False},
            *[
                {
                    "code": f"school-cell-{n}",
                    "name": f"县实验中学第{word}党小组",
                    "label": f"\u3000\u3000县实验中学第{word}党小组",
                    "match": True,
                }
                for n, word in ((1, "一"), (2, "二"), (3, "三"))
            ],
        ],
        "more": False,
    }


def test_a_code_or_a_short_name_is_found_too(admin_client):
    from taizhang.org.models import Unit

    assert [r["code"] for r in search(admin_client, q="PROPOSAL").json()["results"] if r["match"]] == [
        "cppcc-proposal"
    ]
    Unit.objects.filter(code="county-media").update(short_name="融媒")
    assert [r["code"] for r in search(admin_client, q="融媒").json()["results"] if r["match"]] == [
        "county-media"
    ]


def test_a_clerk_never_finds_another_organisations_units(school_clerk):
    assert search(school_clerk, q="县政协").json() == {"results": [], "more": False}
    found = search(school_clerk, q="县").json()["results"]
    assert found and all(r["code"].startswith("school") for r in found), "nor the county above the school"
    assert found[0] == {
        "code": "school",
        "name": "县实验中学党支部",
        "label": "县实验中学党支部",
        "match": True,
    }


def test_with_write_only_the_units_the_login_changes(client):
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    assert search(client, q="县政协").json()["results"], "a leader reads them"
    assert search(client, q="县政协", write="1").json()["results"] == [], "but changes none"


def test_past_the_limit_it_says_there_are_more(admin_client, monkeypatch):
    monkeypatch.setattr("taizhang.org.views.SEARCH_RESULTS", 2)
    answer = search(admin_client, q="党支部").json()
    assert answer["more"] is True
    assert [r["code"] for r in answer["results"] if r["match"]] == ["school", "county-town"]


@pytest.mark.parametrize("words", ["", "  ", "a", "7", "cppcc\x00"])
def test_too_little_to_search_is_a_400_naming_the_field(admin_client, words):
    response = search(admin_client, q=words)
    assert response.status_code == 400
    assert response.json() == {"detail": "搜索单位（q）：请至少输入一个汉字或两个字母、数字。"}


def test_one_chinese_character_is_enough(admin_client):
    assert [r["code"] for r in search(admin_client, q="局").json()["results"] if r["match"]] == [
        "county-education",
        "county-health",
        "county-culture",
    ]


def test_only_for_a_login(client):
    response = search(client, q="县政协")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
