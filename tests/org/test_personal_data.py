"""Phone numbers are personal data: only the admins of the person's unit read them."""

import pytest
from django.contrib.auth import get_user_model

from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cppcc):
    person = Person.objects.filter(unit__path__startswith=cppcc.path).first()
    person.phone = "13800138000"
    person.save()
    return person


def people_json(client, person):
    return client.get(f"/api/people/{person.pk}/").json()


def test_unit_admin_reads_the_phone_of_their_units_people(cppcc_clerk, person):
    assert people_json(cppcc_clerk, person)["phone"] == "13800138000"


def test_leader_reads_the_person_but_not_the_phone(client, person):
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    data = people_json(client, person)
    assert data["name"] == person.name
    assert "phone" not in data
    assert "13800138000" not in client.get("/api/people/").content.decode()


def test_member_reads_themself_without_the_phone(client):
    member = Person.objects.get(user__username="cppcc-member")
    member.phone = "13900139000"
    member.save()
    client.force_login(member.user)
    listing = client.get("/api/people/").json()["results"]
    assert [row["id"] for row in listing] == [member.pk]
    assert "phone" not in listing[0]
