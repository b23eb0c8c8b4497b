"""The authorization matrix: every page and every API route, as every role of one unit, against another.

Pages come from the URL resolver and API routes from the OpenAPI schema, so a new page or endpoint is
walked without editing this file. Unit A is the CPPCC organ, unit B the school branch. For each route:

* anonymous: pages redirect to a login page, the API answers 401/403 (login and the token endpoint
  excepted); nothing is written;
* each role of A (admin, unit admin, leader, member): a URL naming an object of B answers 404 (403,
  or the admin site's redirect to its login, are also refusals); a page or API list that answers 200
  shows nothing of B, even when asked for B with ``?unit=``; a POST, PUT, PATCH or DELETE writes
  nothing to B's records.

``test_the_matrix_catches_an_unscoped_view`` registers a page and an API viewset that forget the scope
and shows that the same walk reports both.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from openpyxl import load_workbook

from taizhang.core.models import Record
from taizhang.documents.models import Batch
from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.org.models import Grant, Person, Role, Unit

pytestmark = pytest.mark.django_db

UNIT_A, UNIT_B = "cppcc", "school"
ROLE_USERS = {
    Role.ADMIN: "cppcc-admin",
    Role.UNIT_ADMIN: "cppcc-clerk",
    Role.LEADER: "cppcc-leader",
    Role.MEMBER: "cppcc-member",
}
# Pages anyone may open: logging in (and the API's token endpoint, which is the API's login), the
# health check for monitors, which says "up" or "down" and nothing else, and the language switch
# (offered on the login page too; it sets a cookie and shows nothing).
PUBLIC = {"login", "admin:login", "api-token", "healthz", "set_language"}
# Logging out writes nothing and would end the walk's sessions.
SESSION_ENDING = {"logout", "admin:logout"}
# Where a member legitimately writes in their own unit: their sign-in, their own reflections and the
# information they report as its author.
SELF_SERVICE = {"ledger:sign-in", "ledger:mine", "reporting:submission-create"}
OBJECT_KWARGS = {"pk", "id", "object_id", "code", "unit", "token", "content_type_id"}
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass
class World:
    """Unit B's objects the walk names in URLs and bodies, and the strings that betray a leak of B."""

    unit: Unit
    objects: dict[type, object] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)

    def object_of(self, model, *, deleted: bool = False):
        """One object of ``model`` in B; with ``deleted``, another one, soft-deleted for restore pages."""
        if (model, deleted) not in self.objects:
            obj = _object_in_b(model, self.unit, last=deleted)
            if deleted and obj is not None:
                model.all_objects.filter(pk=obj.pk).update(deleted=True)
            self.objects[(model, deleted)] = obj
        return self.objects[(model, deleted)]


def _unit_path(model) -> str | None:
    """The lookup from ``model`` to its Unit, found by walking foreign keys (at most two steps)."""
    if model is Unit:
        return ""
    fields = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for f in fields:
        if f.related_model is Unit:
            return f"{f.name}__"
    for f in fields:
        for g in f.related_model._meta.get_fields():
            if g.many_to_one and g.concrete and g.related_model is Unit:
                return f"{f.name}__{g.name}__"
    return None


def _object_in_b(model, unit: Unit, *, last: bool = False):
    manager = getattr(model, "all_objects", model._default_manager)
    order = "-pk" if last else "pk"
    if model is get_user_model():
        return manager.filter(grants__unit__path__startswith=unit.path).first()
    path = _unit_path(model)
    if path is None:
        return manager.order_by(order).first()
    return manager.filter(**{f"{path}path__startswith": unit.path}).order_by(order).first()


def _model_from_name(name: str):
    """``ledger:activity-detail`` → Activity; ``admin:org_person_change`` → Person; None when unknown."""
    namespace, _, short = name.rpartition(":")
    if namespace == "admin":
        for config in apps.get_app_configs():
            prefix = f"{config.label}_"
            if short.startswith(prefix):
                model_name = short[len(prefix) :].rsplit("_", 1)[0]
                try:
                    return apps.get_model(config.label, model_name)
                except LookupError:
                    return None
        return None
    model_name = short.split("-")[0].replace("_", "")
    labels = [namespace.split(":")[-1]] if namespace else [c.label for c in apps.get_app_configs()]
    for label in labels:
        try:
            return apps.get_model(label, model_name)
        except (LookupError, ValueError):
            continue
    # A short URL name for a longer model name: risks:risk-detail → RiskPoint.
    for label in labels:
        try:
            models = apps.get_app_config(label).get_models()
        except LookupError:
            continue
        matches = [
            m
            for m in models
            if m._meta.model_name.startswith(model_name) and not m.__name__.startswith("Historical")
        ]
        if len(matches) == 1:
            return matches[0]
    return None


def _text(response) -> str:
    """What a person reads in a response: the page, or every cell of a downloaded workbook."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    # other downloads (a .docx, the blank import template) are not UTF-8 text; their bytes are searched all the same
    return response.content.decode(errors="replace")


def _kwarg_value(kwarg: str, model, world: World, name: str):
    if kwarg in {"code", "unit"}:
        return world.unit.code
    if kwarg == "period":
        return "2020"
    if kwarg == "fmt":
        return "docx"
    if kwarg == "which":  # a document: an activity's record, or a unit's study archive (both .docx)
        return "record" if name == "documents:activity-document" else "archive"
    if kwarg == "app_label":
        return "ledger"
    if kwarg == "key":  # a chart of the leader's dashboard
        return "heatmap"
    if kwarg == "content_type_id":
        return ContentType.objects.get_for_model(Activity).pk
    if kwarg == "token":
        # A sign-in code of B's activity, open now: members of A must still be refused.
        window = services.sign_in_open(activity=world.object_of(Activity), opened_by=None)
        return services.sign_in_token(window)
    if kwarg in {"pk", "id", "object_id"}:
        if name == "documents:activity-document":
            model = Activity
        if model is Batch and world.object_of(Batch) is None:
            # A batch of B asked for by one of B's logins: A's roles must not see its progress or zip.
            requester = (
                get_user_model().objects.filter(grants__unit__path__startswith=world.unit.path).first()
            )
            world.objects[(Batch, False)] = Batch.objects.create(
                kind=Batch.Kind.SUMMARIES, unit=world.unit, period="2020", requested_by=requester
            )
        if model is None:
            return None
        restoring = "restore" in name and issubclass(model, Record)
        obj = world.object_of(model, deleted=restoring)
        return obj.pk if obj is not None else None
    return None


def page_routes() -> list[tuple[str, str, list[str], int]]:
    """(name, route, kwarg names, count of unnamed groups) of every page: every URL pattern outside the API."""
    out = []

    def walk(resolver, prefix, namespace, kwargs, positional):
        for pattern in resolver.url_patterns:
            converters = getattr(pattern.pattern, "converters", None)
            regex = pattern.pattern.regex
            names = list(converters) if converters else list(regex.groupindex)
            unnamed = 0 if converters else regex.groups - len(regex.groupindex)
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                namespace_ = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                walk(pattern, route, namespace_, kwargs + names, positional + unnamed)
            else:
                full = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                out.append((full, route, kwargs + names, positional + unnamed))

    walk(get_resolver(), "", None, [], 0)
    return [row for row in out if not row[1].startswith("api/")]


def api_routes(admin: Client) -> list[tuple[str, str, list[str]]]:
    """(path template, method, parameter names) of every operation in the OpenAPI schema."""
    schema = admin.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200, schema.content[:300]
    out = []
    for path, operations in json.loads(schema.content)["paths"].items():
        for method, operation in operations.items():
            params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]
            out.append((path, method, params))
    return out


def snapshot(unit: Unit) -> set:
    """Every recorded row of B's subtree with its version and deleted flag, and every user's grants."""
    rows = set()
    for model in apps.get_models():
        if not issubclass(model, Record) or model._meta.abstract:
            continue
        path = _unit_path(model)
        if path is None:
            continue
        for row in model.all_objects.filter(**{f"{path}path__startswith": unit.path}).values_list(
            "pk", "version", "deleted"
        ):
            rows.add((model._meta.label, *row))
    return rows


def _body(world: World) -> dict:
    person = world.object_of(Person)
    kind = ActivityKind.objects.order_by("pk").first()
    return {
        "unit": world.unit.code,
        "kind": kind.code,
        "date": "2020-06-01",
        "topic": "矩阵测试",
        "title": "矩阵测试",
        "text": "矩阵测试",
        "person": person.pk,
        "status": "present",
        "reason": "矩阵测试",
        "version": 1,
        "attendance": [{"person": person.pk, "status": "present"}],
        f"att-{person.pk}": "present",
    }


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))


def walk_matrix(
    clients: dict[str, Client],
    admin: Client,
    *,
    target: str = UNIT_B,
    reads: bool = True,
    only: str | None = None,
) -> list[str]:
    """Every violation of the matrix, as one readable line each; an empty list means all is well.

    ``target`` is the unit whose objects the walk names; with ``reads=False`` only writes are checked
    (a leader or member walking their own unit may read it, but must change nothing outside the
    self-service pages). ``only``: walk just the pages and endpoints whose address holds it.
    """
    world = World(unit=Unit.objects.get(code=target))
    a_strings = set()
    a_units = Unit.objects.filter(path__startswith=Unit.objects.get(code=UNIT_A).path)
    a_strings |= set(a_units.values_list("name", flat=True))
    a_strings |= set(Person.objects.filter(unit__in=a_units).values_list("name", flat=True))
    a_strings |= set(Activity.objects.filter(unit__in=a_units).values_list("topic", flat=True))
    b_units = Unit.objects.filter(path__startswith=world.unit.path)
    world.markers = (
        set(b_units.values_list("name", flat=True))
        | set(Person.objects.filter(unit__in=b_units).values_list("name", flat=True))
        | set(Activity.objects.filter(unit__in=b_units).values_list("topic", flat=True))
    ) - a_strings
    body = _body(world)
    problems: list[str] = []

    def leaks(text: str) -> list[str]:
        return sorted(marker for marker in world.markers if marker in text)[:3]

    pages = []
    for name, route, kwargs, unnamed in page_routes():
        if not name:
            if not route.startswith("admin/"):
                problems.append(f"page {route!r} has no name: name it so the matrix can walk it")
            continue
        if unnamed:
            if name.startswith("admin:"):
                # Staff-only admin views with positional groups: any value shows the redirect to login.
                pages.append((name, reverse(name, args=["1"] * unnamed), True))
            else:
                problems.append(f"page {name}: name the groups of {route!r} so the matrix can fill them")
            continue
        model = _model_from_name(name)
        values = {}
        for kwarg in kwargs:
            value = _kwarg_value(kwarg, model, world, name)
            if value is None and name.startswith("admin:"):
                value = "1"  # the admin site is for staff only: every other login is sent to its login
            if value is None:
                problems.append(f"page {name}: the matrix cannot fill <{kwarg}>; teach _kwarg_value")
                break
            values[kwarg] = value
        else:
            pages.append((name, reverse(name, kwargs=values), bool(set(kwargs) & OBJECT_KWARGS)))
    apis = []
    for template, method, params in api_routes(admin):
        path = template
        for param in params:
            match = resolve(template.replace(f"{{{param}}}", "0"))
            serializer = getattr(getattr(match.func, "cls", None), "serializer_class", None)
            model = getattr(getattr(serializer, "Meta", None), "model", None)
            value = _kwarg_value(param, model, world, template)
            if value is None:
                problems.append(f"API {method.upper()} {template}: the matrix cannot fill {{{param}}}")
                break
            path = path.replace(f"{{{param}}}", str(value))
        else:
            apis.append((template, path, method, bool(params)))

    if only is not None:
        pages = [page for page in pages if only in page[1]]
        apis = [api for api in apis if only in api[1]]

    before = snapshot(world.unit)

    def check_written(who, what):
        nonlocal before
        after = snapshot(world.unit)
        if after != before:
            problems.append(f"{who} {what}: wrote to {target}'s records ({len(after ^ before)} rows changed)")
            before = after

    for name, url, names_object in pages:
        for who, client in clients.items():
            response = client.get(url)
            status = response.status_code
            if not reads:
                pass
            elif who == "anonymous":
                if name not in PUBLIC and not _is_login_redirect(response):
                    problems.append(f"anonymous GET {url} ({name}): {status}, not a redirect to login")
            elif names_object:
                # Only the admin site sends a logged-in non-staff user to (its) login page.
                # 405: an action that only takes POST; the POST below is checked for writes.
                refused = status in (403, 404, 405) or (
                    name.startswith("admin:") and _is_login_redirect(response)
                )
                if not refused:
                    problems.append(f"{who} GET {url} ({name}): {status} for an object of unit B")
            else:
                for query in ({}, {"unit": world.unit.code}):
                    response = client.get(url, query) if query else response
                    if response.status_code == 200 and (found := leaks(_text(response))):
                        problems.append(f"{who} GET {url}?{query} ({name}) shows unit B: {found}")
            if name in SESSION_ENDING or (not reads and name in SELF_SERVICE):
                continue
            client.post(url, body)
            check_written(who, f"POST {url} ({name})")

    for template, path, method, names_object in apis:
        for who, client in clients.items():
            call = getattr(client, method)
            response = call(path, body, content_type="application/json") if method != "get" else call(path)
            status = response.status_code
            if not reads and method == "get":
                pass
            elif who == "anonymous":
                if status not in (401, 403) and reverse("api-token") != path:
                    problems.append(f"anonymous {method.upper()} {path}: {status}, not 401/403")
            elif method == "get":
                if names_object and status not in (403, 404):
                    problems.append(f"{who} GET {path}: {status} for an object of unit B")
                if status == 200:
                    for query in ({}, {"unit": world.unit.code}):
                        text = (client.get(path, query) if query else response).content.decode()
                        if found := leaks(text):
                            problems.append(f"{who} GET {path}?{query} shows unit B: {found}")
            elif status < 400:
                problems.append(f"{who} {method.upper()} {path}: {status}, a write was accepted")
            check_written(who, f"{method.upper()} {template}")
    return problems


@pytest.fixture
def clients(db) -> dict[str, Client]:
    """Anonymous and one logged-in client per role of unit A (an ``admin`` grant is added for the walk)."""
    User = get_user_model()
    admin_user, _ = User.objects.get_or_create(username=ROLE_USERS[Role.ADMIN])
    Grant.objects.get_or_create(user=admin_user, unit=Unit.objects.get(code=UNIT_A), role=Role.ADMIN)
    out = {"anonymous": Client()}
    for role, username in ROLE_USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        out[f"{role}({username})"] = client
    return out


def test_every_route_answers_each_role_of_another_unit_as_expected(clients, admin_client):
    problems = walk_matrix(clients, admin_client)
    assert not problems, "\n".join(problems)


def test_a_city_sized_scope_answers_the_same(clients, admin_client, monkeypatch):
    """A login reading more than ``org.scope.MANY_UNITS`` units (a city's leader) is scoped by an
    expression checked row by row rather than through the unit index: the same walk, the same
    answers, for the roles whose scope is a subtree (a member's is their own rows, and anonymous
    has none) — the unit admin (reads and writes) and the leader (reads)."""
    from taizhang.org import scope

    monkeypatch.setattr(scope, "MANY_UNITS", 0)
    chosen = {key: client for key, client in clients.items() if key.startswith(("unit_admin", "leader"))}
    assert len(chosen) == 2, sorted(clients)
    problems = walk_matrix(chosen, admin_client)
    assert not problems, "\n".join(problems)


def test_the_matrix_catches_an_unscoped_view(clients, admin_client, settings):
    """A page and an API viewset that forget the scope are both reported. Only the leaking routes are
    walked: that every other route passes is the walk above (walking all of them again took 90 s)."""
    settings.ROOT_URLCONF = "tests.leaky_urls"
    problems = walk_matrix(clients, admin_client, only="leak")
    assert len(problems) >= 2, problems
    assert any("/leak/activities/" in line and "for an object of unit B" in line for line in problems), (
        problems
    )
    assert any("/api/leaky-activities/" in line for line in problems), problems
    assert all("leak" in line for line in problems), problems


def test_leaders_and_members_change_nothing_in_their_own_unit(clients, admin_client):
    """Read roles walking their own unit's objects: every write refused, except a member's self-service."""
    own = {who: client for who, client in clients.items() if who.startswith(("leader", "member"))}
    problems = walk_matrix(own, admin_client, target=UNIT_A, reads=False)
    assert not problems, "\n".join(problems)
