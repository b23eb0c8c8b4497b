"""The organisation tree, the responsibility matrix and who may see what."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from taizhang.org.models import Area, Duty, Person, Unit, UnitKind
from taizhang.org.queries import organisation_of, organisation_people, unit_subtree
from taizhang.org.scope import can_write, scope, visible_units
from taizhang.org.services import responsibility_set, unit_create


def user(name):
    return get_user_model().objects.get(username=name)


def test_a_subtree_is_found_by_its_path(cppcc):
    codes = set(unit_subtree(cppcc).values_list("code", flat=True))
    assert codes == {
        "cppcc",
        "cppcc-office",
        "cppcc-proposal",
        "cppcc-economy",
        "cppcc-social",
        "cppcc-culture",
    }


def test_the_organisation_of_an_office_is_its_organ_and_stops_below_a_region(db):
    region = unit_create(code="county-x", name="某县", kind=UnitKind.REGION)
    organ = unit_create(code="organ-x", name="某机关", kind=UnitKind.ORGAN, parent=region)
    office = unit_create(code="office-x", name="办公室", kind=UnitKind.OFFICE, parent=organ)
    assert office.path == f"/{region.pk}/{organ.pk}/{office.pk}/" and office.depth == 2
    assert organisation_of(office) == organ
    assert organisation_of(region) == region


def test_everyone_in_the_organ_may_attend_its_activities(cppcc):
    people = organisation_people(Unit.objects.get(code="cppcc-office"))
    assert people.count() == Person.objects.filter(unit__path__startswith=cppcc.path).count()


def test_the_demo_matrix_matches_the_seed_description(cppcc):
    """党组书记负总责、分管领导具体负责、各委室主任配合, in each of the five areas."""
    for area in Area.objects.all():
        duties = set(cppcc.responsibilities.filter(area=area).values_list("person__job_title", "duty"))
        assert ("县政协党组书记、主席", Duty.ACCOUNTABLE) in duties
        assert ("县政协党组成员、副主席", Duty.RESPONSIBLE) in duties
        assert sum(1 for title, duty in duties if title.endswith("主任") and duty == Duty.SUPPORTING) == 5
    assert Area.objects.count() == 5


def test_a_cell_has_one_accountable_person(cppcc):
    area = Area.objects.first()
    someone_else = Person.objects.filter(unit__parent=cppcc).first()
    with pytest.raises(ValidationError) as err:
        responsibility_set(unit=cppcc, area=area, person=someone_else, duty=Duty.ACCOUNTABLE)
    assert "已有负总责的人" in err.value.message_dict["duty"][0]


def test_a_clerk_sees_and_writes_its_own_subtree_only(cppcc, school):
    clerk = user("cppcc-clerk")
    assert set(visible_units(clerk)) == set(unit_subtree(cppcc))
    assert can_write(clerk, Unit.objects.get(code="cppcc-office"))
    assert not can_write(clerk, school)
    people = scope(Person.objects.all(), clerk)
    assert not people.filter(unit__path__startswith=school.path).exists()


def test_a_leader_reads_but_does_not_write(cppcc):
    leader = user("cppcc-leader")
    assert visible_units(leader).filter(pk=cppcc.pk).exists()
    assert not can_write(leader, cppcc)


def test_a_login_without_grants_sees_nothing(db):
    nobody = get_user_model().objects.create_user("nobody", password="x-1234-long")
    assert not visible_units(nobody).exists()
