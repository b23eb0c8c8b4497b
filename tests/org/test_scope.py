"""Roles and scope: what each login of the demo reads and writes."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from taizhang.ledger.models import Activity
from taizhang.org.models import Grant, Person, Role, Unit
from taizhang.org.scope import can_write, member_units, scope, top_units, visible_units, writable_units

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def codes(units):
    return set(units.values_list("code", flat=True))


def test_unit_admin_reads_and_writes_its_subtree_only(cppcc, school):
    clerk = user("cppcc-clerk")
    assert codes(visible_units(clerk)) == codes(Unit.objects.filter(path__startswith=cppcc.path))
    assert can_write(clerk, cppcc)
    assert not can_write(clerk, school)
    assert not scope(Activity.objects.filter(unit=school), clerk).exists()


def test_leader_reads_the_subtree_but_writes_nothing(cppcc):
    leader = user("cppcc-leader")
    assert cppcc in visible_units(leader)
    assert not writable_units(leader).exists()
    assert (
        scope(Activity.objects.all(), leader).count()
        == Activity.objects.filter(unit__path__startswith=cppcc.path).count()
    )


def test_member_reads_only_their_own_attendance_not_the_unit_ledger():
    member = user("cppcc-member")
    person = Person.objects.get(user=member)
    assert not visible_units(member).exists()
    assert list(member_units(member)) == [person.unit]
    mine = scope(Activity.objects.all(), member, own="attendances__person")
    attended = Activity.objects.filter(attendances__person=person).distinct()
    assert attended.exists()
    assert set(mine) == set(attended)
    assert not scope(Activity.objects.all(), member).exists()


def test_member_reads_published_items_of_their_own_organisation_only(school):
    """A member of an office reads what the organ published too: it was published for them."""
    member = user("cppcc-member")
    unit = Person.objects.get(user=member).unit
    organ = unit.parent
    # Any module's "published" filter; here every activity whose topic is filled in.
    published = scope(Activity.objects.all(), member, published=~Q(topic=""))
    units = set(published.values_list("unit", flat=True))
    assert {unit.pk, organ.pk} <= units
    assert units <= set(Unit.objects.filter(path__startswith=organ.path).values_list("pk", flat=True))
    assert not published.filter(unit__path__startswith=school.path).exists()


def test_a_person_may_hold_roles_in_several_units(cppcc, school):
    clerk = user("cppcc-clerk")
    Grant.objects.create(user=clerk, unit=school, role=Role.LEADER)
    clerk = user("cppcc-clerk")  # a fresh object: grants are cached per request
    assert school in visible_units(clerk)
    assert not can_write(clerk, school)
    assert can_write(clerk, cppcc)


def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not scope(Activity.objects.all(), AnonymousUser(), own="attendances__person").exists()


def test_the_tops_of_what_a_login_sees_are_its_grants_not_covered_by_another(cppcc, school):
    """A unit chooser starts its tree there: each top once, a unit below another grant is no top."""
    clerk = user("cppcc-clerk")
    assert codes(top_units(clerk)) == {"cppcc"}
    Grant.objects.create(user=clerk, unit=school, role=Role.LEADER)
    Grant.objects.create(user=clerk, unit=Unit.objects.get(code="cppcc-office"), role=Role.LEADER)
    del clerk._taizhang_grants
    assert codes(top_units(clerk)) == {"cppcc", "school"}
    assert codes(top_units(clerk, write=True)) == {"cppcc"}, "the school is read, not changed"
    assert codes(top_units(user("demo"))) == {"county"}, "a superuser's: the roots"
    assert codes(top_units(user("cppcc-member"))) == set(), "a member reads no ledger"


def test_whether_a_login_reads_or_writes_anywhere_agrees_with_its_units(cppcc, django_assert_num_queries):
    """The header asks it on every page: answered from the grants (read once a request), and from the
    units only for a grant of a deleted unit, which may still have live units below it."""
    from taizhang.org.scope import reads_anywhere, writes_anywhere

    people = ("cppcc-clerk", "cppcc-leader", "cppcc-member", "demo")
    for name in people:
        login = user(name)
        expected = (writable_units(login).exists(), visible_units(login).exists())
        login = user(name)
        if not login.is_superuser:
            with django_assert_num_queries(1):  # the grants, nothing more
                assert (writes_anywhere(login), reads_anywhere(login)) == expected, name
    clerk = user("cppcc-clerk")
    Unit.objects.filter(pk=cppcc.pk).update(deleted=True)  # its units below stay live
    assert writable_units(clerk).exists()
    assert writes_anywhere(clerk)
    Unit.all_objects.filter(path__startswith=cppcc.path).update(deleted=True)
    clerk = user("cppcc-clerk")
    assert not writes_anywhere(clerk) and not reads_anywhere(clerk)
