"""The API refuses with 400/404/409 instead of 500, and its OpenAPI schema says what it answers.

Schemathesis (tests/test_schemathesis.py) checks every response against the schema at random;
these pin the cases the issue named, one request each.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from taizhang.campaigns.models import Campaign
from taizhang.review.models import Draft, DraftState


@pytest.fixture
def schema(admin_client) -> dict:
    response = admin_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _body(schema: dict, operation: dict, code: str = "200") -> dict:
    return operation["responses"][code]["content"]["application/json"]["schema"]


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


@pytest.mark.parametrize(
    ("path", "query"),
    [("/api/todo/", "unit=school&as_of=2020-06-10"), ("/api/compliance/", "unit=cppcc&period=2020H1")],
)
def test_the_check_and_the_todo_list_are_documented_as_the_arrays_they_return(
    admin_client, schema, path, query
):
    documented = _body(schema, schema["paths"][path]["get"])
    assert documented["type"] == "array"
    item = _resolve(schema, documented["items"])
    rows = admin_client.get(f"{path}?{query}").json()
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(item["required"]) <= set(row) <= set(item["properties"])


def test_the_check_needs_a_unit_and_a_period(admin_client, schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/compliance/"]["get"]["parameters"]}
    assert parameters["unit"]["required"] and parameters["period"]["required"]
    assert not parameters["as_of"].get("required")
    refused = admin_client.get("/api/compliance/?unit=cppcc")
    assert refused.status_code == 400 and "period" in refused.json()


def test_a_root_unit_has_no_parent_and_the_schema_allows_it(admin_client, schema):
    # the demo's root is the county region; cppcc is one of its organisations
    assert admin_client.get("/api/units/county/").json()["parent"] is None
    assert admin_client.get("/api/units/cppcc/").json()["parent"] is not None
    assert _resolve(schema, {"$ref": "#/components/schemas/Unit"})["properties"]["parent"]["nullable"]


def test_edits_require_the_version_they_read_and_creates_do_not(admin_client, schema, cppcc):
    edits = 0
    for path, method, operation in _operations(schema):
        if method not in {"post", "put", "patch"} or "requestBody" not in operation:
            continue
        body = _resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])
        if "version" not in body.get("properties", {}):
            continue
        if method == "post":
            assert "version" not in body.get("required", []), path
        else:
            assert "version" in body["required"], (method, path)
            edits += 1
    assert edits >= 2 * 11  # PUT and PATCH of every record type

    campaign = Campaign.objects.filter(unit=cppcc).first()
    refused = admin_client.patch(
        f"/api/campaigns/{campaign.pk}/", {"title": "无版本号的修改"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "version" in refused.json()
    campaign.refresh_from_db()
    assert campaign.title != "无版本号的修改"


def test_required_create_fields_are_marked_required(schema):
    body = _resolve(schema, {"$ref": "#/components/schemas/ActivityRequest"})
    assert {"unit", "kind", "date", "topic"} <= set(body["required"])
    assert "id" not in body["properties"]  # read-only fields are not asked for


def test_every_operation_documents_how_it_refuses(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        if path != "/api/token/":
            assert "403" in codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method != "get":
            assert "400" in codes, (method, path)
        if method in {"put", "patch"}:
            assert "409" in codes, (method, path)
        for code in codes - {"200", "201", "204"}:
            assert _body(schema, operation, code) == {"$ref": "#/components/schemas/Error"}


def test_a_stale_edit_answers_the_documented_409(admin_client, cppcc):
    campaign = Campaign.objects.filter(unit=cppcc).first()
    url = f"/api/campaigns/{campaign.pk}/"
    first = admin_client.patch(
        url, {"title": "甲", "version": campaign.version}, content_type="application/json"
    )
    assert first.status_code == 200
    second = admin_client.patch(
        url, {"title": "乙", "version": campaign.version}, content_type="application/json"
    )
    assert second.status_code == 409 and f"当前为第 {campaign.version + 1} 版" in second.json()["version"][0]


def test_deleting_a_published_draft_is_refused_not_a_server_error(admin_client, cppcc):
    draft = Draft.objects.filter(unit=cppcc, state=DraftState.PUBLISHED).first()
    response = admin_client.delete(f"/api/drafts/{draft.pk}/")
    assert response.status_code == 400
    assert "已发布的稿件不能删除" in json.dumps(response.json(), ensure_ascii=False)
    assert Draft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/todo/?unit=cppcc&as_of=9999-12-31",
        "/api/compliance/?unit=cppcc&period=2020&as_of=9999-12-31",
        "/api/todo/?unit=cppcc&as_of=0001-01-01",
    ],
)
def test_a_day_past_the_calendar_is_refused_naming_as_of(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.json()["as_of"][0].startswith("核查日期（as_of）超出范围")


@pytest.mark.parametrize(
    "url", ["/rules/todo/?unit=cppcc&as_of=9999-12-31", "/rules/?unit=cppcc&period=2020&as_of=9999-12-31"]
)
def test_the_pages_refuse_it_too(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "核查日期（as_of）超出范围：“9999-12-31”" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/todo/?unit=cppcc&as_of=9998-12-31",
        "/rules/todo/?unit=cppcc&as_of=9998-12-31",
        "/api/compliance/?unit=cppcc&period=9998&as_of=9998-12-31",
        "/api/compliance/?unit=cppcc&period=9998-12&as_of=9998-12-31",
        "/api/compliance/?unit=cppcc&period=1900Q1&as_of=1900-01-01",
    ],
)
def test_the_first_and_last_days_accepted_still_answer(admin_client, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["/api/nothing/", "/api/drafts/1/nowhere/", "/api/units/a/b/c"])
def test_a_path_no_endpoint_has_answers_json_404(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "没有该接口或记录。"}


def test_a_review_step_is_documented_as_answering_the_draft_it_returns(cppcc, schema):
    """``POST /api/drafts/{id}/act/`` takes an action and answers the draft: the schema said the
    answer was the request body again (action, comment …), so a client generated from it broke."""
    operation = schema["paths"]["/api/drafts/{id}/act/"]["post"]
    answer = _resolve(schema, _body(schema, operation))
    asked = _resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])
    assert "action" in asked["properties"] and "action" not in answer["properties"]
    draft = Draft.objects.filter(unit=cppcc, state=DraftState.DRAFTING).first()
    clerk = Client()  # (the schema was read by the admin, who stands for no person: a clerk acts)
    clerk.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    step = clerk.post(f"/api/drafts/{draft.pk}/act/", {"action": "submit"}, content_type="application/json")
    assert step.status_code == 200, step.content.decode()
    assert set(answer["required"]) <= set(step.json()) <= set(answer["properties"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/compliance/?unit=cppcc&period=2020H1&as_of=",
        "/api/todo/?unit=cppcc&as_of=",
        "/api/activities/?as_of=",
    ],
)
def test_an_empty_as_of_is_a_400_naming_it(admin_client, path):
    refused = admin_client.get(path)
    assert refused.status_code == 400
    assert "参数 as_of（截至日期）为空" in refused.json()["as_of"][0]


def test_the_pages_take_a_blank_as_of_field_as_no_day(admin_client):
    """The same field left blank in a page's form is sent empty: the page answers as without it."""
    assert admin_client.get("/rules/?unit=cppcc&period=2020H1&as_of=").status_code == 200
    assert admin_client.get("/ledger/activities/?unit=cppcc&as_of=").status_code == 200
