"""A unit's profile (单位类别): what kind of organisation it is, so its summary speaks as one.

A new unit gets it from its name where the name says it (县人民医院 → 医院); the unit form asks where
the name does not (县委办公室: a party department, a government office?); the unit page shows it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from taizhang.org.models import Unit, UnitKind, UnitProfile, profile_from_name
from taizhang.org.services import unit_create


@pytest.mark.parametrize(
    ("name", "profile"),
    [
        ("县人民医院党支部", UnitProfile.HOSPITAL),
        ("城关镇卫生院", UnitProfile.HOSPITAL),
        ("县第二中学党支部", UnitProfile.SCHOOL),
        ("河东小学", UnitProfile.SCHOOL),
        ("县融媒体中心", UnitProfile.MEDIA),
        ("市广播电视台", UnitProfile.MEDIA),
        ("城东社区党支部", UnitProfile.COMMUNITY),
        ("河西村党支部", UnitProfile.COMMUNITY),
        ("县政协机关", UnitProfile.CPPCC),
        ("城关镇机关党支部", UnitProfile.TOWN),
        ("青山乡", UnitProfile.TOWN),
        # names that do not say: a person chooses
        ("县委办公室", ""),
        ("县卫生健康局", ""),  # a bureau of health, not a hospital
        ("县农业农村局", ""),  # 村 inside a bureau's name
        ("县乡村振兴局", ""),  # 乡 inside a bureau's name
        ("县文化广电旅游局", ""),
    ],
)
def test_the_name_says_the_profile_only_where_it_is_obvious(name, profile):
    assert profile_from_name(name) == profile


def test_a_new_unit_takes_its_profile_from_its_name_unless_given(db):
    hospital = unit_create(code="t-hospital", name="某县中医院党支部", kind=UnitKind.BRANCH)
    office = unit_create(code="t-office", name="某县委办公室", kind=UnitKind.ORGAN)
    told = unit_create(
        code="t-told", name="某县委办公室二", kind=UnitKind.ORGAN, profile=UnitProfile.PARTY_ORGAN
    )
    assert (hospital.profile, office.profile, told.profile) == ("hospital", "", "party_organ")


def test_the_demo_sets_a_profile_for_every_unit_of_the_county(db):
    county = Unit.objects.get(code="county")
    units = Unit.objects.filter(path__startswith=county.path).exclude(pk=county.pk)
    assert units.count() >= 20 and not units.filter(profile="").exists()
    assert Unit.objects.get(code="school").profile == "school"
    assert Unit.objects.get(code="county-hospital").profile == "hospital"


def test_the_unit_form_takes_the_profile_from_the_name_or_asks(admin_client):
    add = reverse("admin:org_unit_add")
    county = Unit.objects.get(code="county")
    fields = {"parent": county.pk, "code": "t-unit", "short_name": "", "kind": UnitKind.ORGAN, "profile": ""}
    asked = admin_client.post(add, {**fields, "name": "县审计局"})
    assert asked.status_code == 200
    assert "单位类别：从名称“县审计局”看不出是哪类单位，请选择。" in asked.content.decode()
    assert not Unit.objects.filter(code="t-unit").exists()

    saved = admin_client.post(add, {**fields, "name": "县第二人民医院"})
    assert saved.status_code == 302
    unit = Unit.objects.get(code="t-unit")
    assert unit.profile == "hospital"
    assert unit.path == f"{county.path}{unit.pk}/" and unit.depth == 1  # placed in the tree

    chosen = admin_client.post(
        add, {**fields, "code": "t-unit2", "name": "县审计局", "profile": UnitProfile.GOVERNMENT}
    )
    assert chosen.status_code == 302 and Unit.objects.get(code="t-unit2").profile == "government"


def test_the_unit_page_shows_its_profile(admin_client):
    page = admin_client.get(reverse("org:unit-detail", args=["county-media"])).content.decode()
    assert "单位类别：融媒体（广播电视）" in page
