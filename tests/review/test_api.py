"""The draft endpoints: create through the service, steps through ``act``."""

from django.contrib.auth import get_user_model

from taizhang.org.models import Person
from taizhang.review.models import Draft


def test_a_clerk_creates_a_draft_and_submits_it_through_the_api(client, cppcc):
    user = get_user_model().objects.get(username="cppcc-clerk")
    client.force_login(user)
    author = Person.objects.get(user=user)
    created = client.post(
        "/api/drafts/",
        {"unit": "cppcc", "author": author.pk, "title": "动态", "text": "正文", "date": "2020-06-10"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "drafting"
    pk = created.json()["id"]
    step = client.post(f"/api/drafts/{pk}/act/", {"action": "submit"}, content_type="application/json")
    assert step.status_code == 200 and step.json()["state"] == "first"
    assert [d["action"] for d in step.json()["decisions"]] == ["submit"]
    again = client.post(f"/api/drafts/{pk}/act/", {"action": "submit"}, content_type="application/json")
    assert again.status_code == 400 and "state" in again.json()
    assert Draft.objects.get(pk=pk).state == "first"


def test_the_state_cannot_be_written_directly(admin_client, cppcc):
    draft = Draft.objects.filter(unit=cppcc, state="first").first()
    response = admin_client.patch(
        f"/api/drafts/{draft.pk}/",
        {"state": "published", "version": draft.version},
        content_type="application/json",
    )
    draft.refresh_from_db()
    assert draft.state == "first"
    assert response.status_code in (200, 400)
