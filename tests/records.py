"""What a clerk's browser or app sends to the ledger, for tests that write and then read back."""

from __future__ import annotations

import json

from taizhang.org.queries import organisation_people


def record_study(client, unit, capture_on_commit, *, topic: str = "学习新党章", day: str = "2020-06-10"):
    """A collective study of ``unit`` with two of its people present, recorded through the API as
    the app does, its commit hooks run (the kept results move then); returns the 201 response."""
    people = organisation_people(unit).filter(unit=unit).values_list("pk", flat=True)[:2]
    activity = {"unit": unit.code, "kind": "collective_study", "date": day, "topic": topic}
    activity |= {"minutes": "记录", "attendance": [{"person": p, "status": "present"} for p in people]}
    with capture_on_commit(execute=True):
        response = client.post("/api/activities/", json.dumps(activity), content_type="application/json")
    assert response.status_code == 201, response.content
    return response
