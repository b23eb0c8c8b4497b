"""Results worked out once per change (``core.stamps``): a write in a unit is seen at once by every
page of the units above it, and by none of the others' kept results.

A test runs in one transaction that is rolled back; ``django_capture_on_commit_callbacks(execute=True)``
stands for the commit of a write (what moves the generations), as a request's own transaction does.
"""

from __future__ import annotations

import io
import pickle
import re
import uuid
from datetime import date

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from taizhang.core import stamps
from taizhang.core.periods import Period
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.models import Unit
from taizhang.org.queries import organisation_people
from taizhang.rules import check as rules_check
from taizhang.rules import todo as rules_todo
from taizhang.rules.requirements import framework_for
from tests.records import record_study

H1 = Period.parse("2020H1")


@pytest.fixture
def judged(monkeypatch) -> list[str]:
    """The units whose compliance check was worked out rather than read from the cache, in order."""
    calls: list[str] = []
    real = rules_check._compliance

    def spy(*, unit, **kwargs):
        calls.append(unit.code)
        return real(unit=unit, **kwargs)

    monkeypatch.setattr(rules_check, "_compliance", spy)
    return calls


@pytest.fixture
def scopes(cppcc, school) -> dict[str, Unit]:
    """The county, the CPPCC organ, two of its offices (siblings) and the school beside it."""
    offices = list(Unit.objects.filter(parent=cppcc).order_by("path")[:2])
    return {
        "county": Unit.objects.get(code="county"),
        "cppcc": cppcc,
        "office": offices[0],
        "sibling": offices[1],
        "school": school,
    }


def check_all(scopes: dict[str, Unit]) -> dict[str, int]:
    """Every scope's 2020H1 check, as the matrix asks for it: how many results each has met."""
    return {
        name: sum(
            r.status == "met"
            for r in rules_check.compliance(unit=unit, window=H1, with_children=True).results
        )
        for name, unit in scopes.items()
    }


def record(unit: Unit, day: date = date(2020, 3, 5), kind: str = "collective_study") -> Activity:
    """An activity with what every rule asks of its evidence (minutes, one attendee)."""
    return activity_create(
        unit=unit,
        kind=ActivityKind.objects.get(code=kind),
        date=day,
        topic="学习党章",
        minutes="记录",
        attendance=[AttendanceEntry(person=organisation_people(unit).first(), status="present")],
    )


def codes(scopes, *names) -> list[str]:
    return [scopes[name].code for name in names]


def test_a_write_invalidates_exactly_the_scopes_above_it(scopes, judged, django_capture_on_commit_callbacks):
    check_all(scopes)
    assert judged == codes(scopes, "county", "cppcc", "office", "sibling", "school")
    judged.clear()
    check_all(scopes)
    assert judged == []  # read back, not judged again
    with django_capture_on_commit_callbacks(execute=True):
        record(scopes["office"])
    check_all(scopes)
    # the office, the organ above it and the county above that; not its sibling, not the school
    assert judged == codes(scopes, "county", "cppcc", "office")


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_each_backend_keeps_and_invalidates_alike(
    backend, tmp_path, scopes, judged, django_capture_on_commit_callbacks
):
    """The file cache one machine's processes share by default, and Django's RedisCache for several."""
    if backend == "file":
        config = {"BACKEND": "taizhang.core.cache.FileCache", "LOCATION": str(tmp_path)}
    else:
        pytest.importorskip("redis")
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"taizhang-test-{uuid.uuid4().hex}",
        }
    with override_settings(CACHES={"default": config}):
        try:
            caches["default"].get("probe")
        except Exception as error:  # no server here
            pytest.skip(f"no Redis server on 127.0.0.1:6379 ({error})")
        try:
            first = check_all(scopes)
            judged.clear()
            assert check_all(scopes) == first and judged == []
            with django_capture_on_commit_callbacks(execute=True):
                record(scopes["sibling"], kind="central_group_study")
            check_all(scopes)
            assert judged == codes(scopes, "county", "cppcc", "sibling")
        finally:
            if backend == "redis":
                client = caches["default"]._cache.get_client(write=True)
                for key in client.scan_iter(f"{config['KEY_PREFIX']}*"):
                    client.delete(key)


def test_pages_show_a_write_at_once(cppcc_clerk, cppcc, django_capture_on_commit_callbacks):
    """A clerk records an activity and reads the unit page, the matrix and the summary straight after:
    each shows it, though each had been worked out and kept before."""
    unit_page = "/org/units/cppcc/?period=2020H1"
    summary = "/documents/summary/cppcc/2020H1/"
    matrix = "/rules/?unit=cppcc&period=2020H1"

    def studies(page) -> int:
        found = re.search(rb'data-kind="collective_study">(\d+)<', page.content)
        return int(found[1]) if found else 0

    def counted(page) -> int:
        check = page.context["check"]
        return sum(
            r.actual for r in check.results if r.unit == cppcc.pk and r.requirement == "collective_study"
        )

    before = {url: cppcc_clerk.get(url) for url in (unit_page, summary, matrix)}
    for url in before:  # kept now: the next views read them
        assert cppcc_clerk.get(url).status_code == 200
    response = record_study(cppcc_clerk, cppcc, django_capture_on_commit_callbacks)
    new_id = response.json()["id"]

    assert studies(cppcc_clerk.get(unit_page)) == studies(before[unit_page]) + 1
    page = cppcc_clerk.get(summary)
    sources = [fig for fig in page.context["doc"].figures.values() if ("activities", new_id) in fig.records]
    assert sources, "the summary counts the new activity"
    assert f"#{new_id} 2020-06-10 学习新党章".encode() in page.content  # its figure's sources name it
    assert counted(cppcc_clerk.get(matrix)) == counted(before[matrix]) + 1


def test_kept_tables_are_never_older_than_the_last_write(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks
):
    """The matrix's table and the to-do list are kept as HTML (``{% cache %}`` keyed by the unit's
    results version): read back straight after a write, each is what it would be with nothing kept."""
    matrix = "/rules/?unit=cppcc&period=2020H1"
    todo = "/rules/todo/?unit=cppcc"

    def shown(url) -> str:  # below the filters (the page's top holds a fresh CSRF token each time)
        html = cppcc_clerk.get(url).content.decode()
        return html.partition('<p class="meta">')[2].partition("</main>")[0]

    def unkept(url) -> str:
        caches["default"].clear()
        return shown(url)

    before = {url: shown(url) for url in (matrix, todo)}
    assert '<table class="matrix' in before[matrix] and '<table class="grid' in before[todo]
    assert {url: shown(url) for url in before} == before  # read back from what was kept
    with django_capture_on_commit_callbacks(execute=True):
        record(cppcc, day=date(2020, 6, 10))
    after = {url: shown(url) for url in before}
    assert after[matrix] != before[matrix]  # the organ's study is counted
    assert after == {url: unkept(url) for url in before}


def test_what_a_writing_transaction_reads_is_never_kept(scopes, judged):
    """Inside a transaction that has written, the check sees the write but keeps nothing; rolled back,
    the write is in no result, kept or new."""
    organ = scopes["cppcc"]

    def studies() -> float:
        check = rules_check.compliance(unit=organ, window=H1)
        return sum(r.actual for r in check.results if r.requirement == "collective_study")

    before = studies()
    with transaction.atomic():
        for day in (date(2020, 1, 9), date(2020, 2, 9), date(2020, 3, 9)):
            record(organ, day)
        assert studies() == before + 3
        transaction.set_rollback(True)
    assert studies() == before


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda unit: Activity.objects.filter(unit=unit).update(deleted=True), id="queryset-update"
        ),
        pytest.param(
            lambda unit: Activity.objects.bulk_create(
                [
                    Activity(
                        unit=unit,
                        kind=ActivityKind.objects.get(code="seminar"),
                        date=date(2020, 4, 1),
                        topic="研讨",
                    )
                ]
            ),
            id="bulk-create",
        ),
        pytest.param(
            lambda unit: stamps_record_update(unit),
            id="soft-delete-and-restore",
        ),
    ],
)
def test_writes_without_a_form_invalidate_too(write, scopes, judged, django_capture_on_commit_callbacks):
    check_all(scopes)
    judged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        write(scopes["office"])
    check_all(scopes)
    assert judged == codes(scopes, "county", "cppcc", "office")


def stamps_record_update(unit: Unit) -> None:
    from taizhang.ledger.services import activity_delete, activity_restore

    activity = Activity.objects.filter(unit=unit).first() or record(unit)
    activity_delete(activity=activity)
    activity_restore(activity=Activity.all_objects.get(pk=activity.pk))


def test_an_attendance_row_invalidates_its_activity_s_unit(
    scopes, judged, django_capture_on_commit_callbacks
):
    """A sign-in is an attendance row: no unit of its own, its activity's."""
    from taizhang.ledger.services import attendance_mark

    office = scopes["office"]
    with django_capture_on_commit_callbacks(execute=True):
        activity = record(office)
    person = organisation_people(office).last()
    check_all(scopes)
    judged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(activity=activity, person=person, status="present")
    check_all(scopes)
    assert judged == codes(scopes, "county", "cppcc", "office")


def test_an_import_invalidates_the_unit_it_fills(
    scopes, judged, tmp_path, django_capture_on_commit_callbacks
):
    """Imports write in bulk, their history in SQL, without the history signal."""
    office = scopes["office"]
    sheet = tmp_path / "台账.csv"
    sheet.write_text(
        "学习内容,活动时间,类别\n学习党章,2020-03-05,集中学习\n学习条例,2020-03-12,集中学习\n",
        encoding="utf-8",
    )
    check_all(scopes)
    judged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(sheet), "--unit", office.code, stdout=io.StringIO(), stderr=io.StringIO())
    check_all(scopes)
    assert judged == codes(scopes, "county", "cppcc", "office")


def test_a_framework_change_invalidates_everything(scopes, judged, django_capture_on_commit_callbacks):
    from taizhang.rules.services import framework_assign

    check_all(scopes)
    judged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        framework_assign(unit=scopes["school"], framework=framework_for(scopes["school"]))
    check_all(scopes)
    assert sorted(judged) == sorted(codes(scopes, *scopes))


def test_a_lost_generation_means_working_it_out_again(scopes, judged):
    """A generation evicted from the cache (or the cache emptied) is replaced by a new one: nothing
    kept under the old is taken for current."""
    check_all(scopes)
    judged.clear()
    caches["default"].delete(f"{stamps._prefix()}:g:{scopes['office'].pk}:{stamps.UNDATED}")
    check_all(scopes)
    assert judged == codes(scopes, "office")


def _moved():
    raise AttributeError("module 'taizhang.documents.model' has no attribute 'Document'")


class KeptByOlderCode:
    """What an entry pickled by an older version of the code does when read: its class has moved."""

    def __reduce__(self):
        return (_moved, ())


def test_a_result_kept_by_older_code_is_worked_out_again_and_replaced(cppcc):
    """After an upgrade that moved a kept result's class the entry no longer reads: the page works
    the result out once and keeps it in the entry's place, rather than on every request."""
    from django.core.cache import caches

    made = []

    def compute():
        made.append(len(made))
        return "worked out"

    key = stamps._result_key(stamps._prefix(), "summary", cppcc.pk, ("2020H1",))
    assert stamps.cached("summary", unit_id=cppcc.pk, parts=("2020H1",), compute=lambda: "kept") == "kept"
    tokens, _ = caches["default"].get(key)  # current: only the value no longer reads
    caches["default"].set(key, (tokens, pickle.dumps(KeptByOlderCode())))
    for _ in range(3):
        assert stamps.cached("summary", unit_id=cppcc.pk, parts=("2020H1",), compute=compute) == "worked out"
    assert made == [0]


def test_an_unreachable_cache_only_costs_time(scopes, judged, caplog):
    """Redis down: every page works its results out, as if nothing were kept."""
    pytest.importorskip("redis")
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={"default": config}):
        first = check_all(scopes)
        assert check_all(scopes) == first
    assert len(judged) == 2 * len(scopes)
    assert "results cache unreadable" in caplog.text


def test_attendance_is_counted_as_the_check_counts_it(cppcc, django_capture_on_commit_callbacks):
    """A kept check of the rate rule moves with a sign-in (attendance of the central study group)."""
    people = list(organisation_people(cppcc).filter(unit=cppcc)[:4])
    with django_capture_on_commit_callbacks(execute=True):
        activity = activity_create(
            unit=cppcc,
            kind=ActivityKind.objects.get(code="central_group_study"),
            date=date(2020, 6, 20),
            topic="中心组学习",
            minutes="记录",
            attendance=[AttendanceEntry(person=p, status="absent", reason="出差") for p in people],
        )

    def rate() -> float:
        check = rules_check.compliance(unit=cppcc, window=H1)
        rates = [
            r for r in check.results if r.requirement == "central_group_attendance" and r.unit == cppcc.pk
        ]
        return rates[-1].actual if rates else -1

    low = rate()
    from taizhang.ledger.services import attendance_mark

    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            attendance_mark(activity=activity, person=person, status="present")
    assert rate() > low


def test_an_activity_of_another_year_leaves_this_year_s_results(
    cppcc, judged, monkeypatch, django_capture_on_commit_callbacks
):
    """Recording last year's meeting moves the results of its year, not this year's to-do list; a
    record with no date of its own (a person) moves both."""
    from taizhang.org.services import person_create

    made: list[str] = []
    real = rules_todo._todo_for

    def spy(**kwargs):
        made.append("todo")
        return real(**kwargs)

    monkeypatch.setattr(rules_todo, "_todo_for", spy)
    today = date.today()
    rules_todo.todo_for(unit=cppcc, today=today)
    rules_todo.todo_for(unit=cppcc, today=today)
    assert made == ["todo"]
    rules_check.compliance(unit=cppcc, window=H1, with_children=True)
    judged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record(cppcc)  # dated 2020-03-05
    rules_check.compliance(unit=cppcc, window=H1, with_children=True)
    assert judged == ["cppcc"]  # its year's: worked out again
    rules_todo.todo_for(unit=cppcc, today=today)
    assert made == ["todo"]  # this year's: kept
    with django_capture_on_commit_callbacks(execute=True):
        person_create(unit=cppcc, name="新同志")
    rules_todo.todo_for(unit=cppcc, today=today)
    assert made == ["todo", "todo"]


def test_a_transaction_s_notes_stay_on_its_own_thread():
    """gunicorn serves a process's requests on several threads: the notes one thread's open
    transaction made are on that thread's connection, never seen (nor flushed before its commit) by
    another thread's read."""
    import threading

    from django.db import connections

    seen = {}

    def writer():
        own = connections["default"]
        own.in_atomic_block = True  # as inside transaction.atomic(), without a database here
        try:
            stamps.changed(everything=True)
            reader = threading.Thread(target=lambda: seen.update(reader=stamps._writing()))
            reader.start()
            reader.join()
            seen["kept"] = bool(own.__dict__.pop(stamps.PENDING, None))
        finally:
            own.in_atomic_block, own.run_on_commit = False, []

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    assert seen == {"reader": False, "kept": True}
    assert stamps.PENDING not in connections["default"].__dict__


def test_kept_lists_choosers_and_sub_units_are_never_older_than_the_last_write(
    cppcc_clerk, cppcc, school, django_capture_on_commit_callbacks
):
    """The activity list's count and page (kept per unit, filters and login), the unit chooser's
    options (kept per subtree of the login) and the unit page's sub-units (kept per unit): read
    back straight after a write or a new grant, each is what it would be with nothing kept."""
    from django.contrib.auth import get_user_model

    from taizhang.org.models import Role, UnitKind
    from taizhang.org.services import grant_create, unit_create

    listed = "/ledger/activities/?unit=cppcc"
    unit_page = "/org/units/cppcc/?period=2020H1"

    def shown(url) -> str:
        html = cppcc_clerk.get(url).content.decode()
        return html.partition("<main")[2].partition("</main>")[0]

    def unkept(url) -> str:
        caches["default"].clear()
        return shown(url)

    before = {url: shown(url) for url in (listed, unit_page)}
    assert {url: shown(url) for url in before} == before  # read back from what was kept
    with django_capture_on_commit_callbacks(execute=True):
        record(cppcc)
    after = shown(listed)

    def total(html) -> int:
        return int(re.search(r"共 (\d+) 条", html)[1])

    assert total(after) == total(before[listed]) + 1
    assert after == unkept(listed)

    with django_capture_on_commit_callbacks(execute=True):
        unit_create(code="cppcc-new-office", name="新设委室", kind=UnitKind.OFFICE, parent=cppcc)
    after = {url: shown(url) for url in before}
    assert all("新设委室" in html for html in after.values())  # a chooser option, a sub-unit
    assert after == {url: unkept(url) for url in before}

    kind = ActivityKind.objects.get(code="seminar")  # a vocabulary: kept per process, per deployment
    kind.name = "专题研讨（改名）"
    with django_capture_on_commit_callbacks(execute=True):
        kind.save()
    assert "专题研讨（改名）" in shown(listed)

    # a grant moves no generation: the login's chooser follows it all the same
    grant_create(user=get_user_model().objects.get(username="cppcc-clerk"), unit=school, role=Role.UNIT_ADMIN)
    assert school.name in shown(listed)
    assert shown(listed) == unkept(listed)


def test_a_unit_deleted_under_a_listed_unit_leaves_its_list_at_once(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks
):
    """The activity list of a unit whose whole subtree the login reads is filtered without the
    scope, for as long as no unit there is deleted (``org.scope.reads_subtree``, kept per unit): a
    sub-unit deleted, its activities leave the list at once, but for one the login attended (its
    own rows stay readable anywhere), as with nothing kept."""
    from django.contrib.auth import get_user_model

    from taizhang.core.services import record_soft_delete
    from taizhang.org.models import Person

    listed = "/ledger/activities/?unit=cppcc"
    office = Unit.objects.filter(parent=cppcc).order_by("path").first()
    clerk = Person.objects.get(user=get_user_model().objects.get(username="cppcc-clerk"))
    with django_capture_on_commit_callbacks(execute=True):
        record(office)
        activity_create(
            unit=office,
            kind=ActivityKind.objects.get(code="collective_study"),
            date=date(2020, 3, 6),
            topic="书记参加的学习",
            attendance=[AttendanceEntry(person=clerk, status="present")],
        )
    in_office = Activity.objects.filter(unit=office).count()

    def total() -> int:
        html = cppcc_clerk.get(listed).content.decode()
        return int(re.search(r"共 (\d+) 条", html)[1])

    before = total()
    assert total() == before  # read back from what was kept
    with django_capture_on_commit_callbacks(execute=True):
        record_soft_delete(record=office)
    assert total() == before - in_office + 1  # the one the clerk attended stays
    caches["default"].clear()
    assert total() == before - in_office + 1


def test_a_filter_form_s_chosen_unit_is_never_older_than_the_last_write(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks
):
    """A filter form finds its chosen unit among the login's units as kept for its chooser, and
    the unit as kept until it changes: renamed, the list's heading and its chooser name it anew
    at once; deleted, it is no longer a unit the login may choose."""
    from taizhang.core.services import record_soft_delete, record_update

    listed = "/ledger/activities/?unit=cppcc-culture"
    culture = Unit.objects.get(code="cppcc-culture")
    assert f"<h1>活动台账 · {culture.name}</h1>" in cppcc_clerk.get(listed).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        record_update(record=culture, expected_version=None, name="县政协文史委")
    html = cppcc_clerk.get(listed).content.decode()
    assert "<h1>活动台账 · 县政协文史委</h1>" in html
    assert '<option value="cppcc-culture" selected>\u3000县政协文史委</option>' in html
    with django_capture_on_commit_callbacks(execute=True):
        record_soft_delete(record=Unit.objects.get(code="cppcc-culture"))
    response = cppcc_clerk.get(listed)
    assert response.status_code == 400
    assert "没有代码为“cppcc-culture”的单位，或您无权查看。" in response.content.decode()


def test_a_kept_page_of_the_activity_list_names_its_hosts_and_evidence_as_they_stand(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks
):
    """The activity list's rows are kept per unit until a write in its subtree, but a host may be a
    person of the organ above an office: renamed there, the office's list names them anew at once.
    An attendance row added to an activity of the organ, its row no longer says it lacks one."""
    from taizhang.ledger.services import attendance_mark
    from taizhang.org.models import Person
    from taizhang.org.services import person_update

    host = Person.objects.filter(unit=cppcc).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        hosted, unattended = (
            activity_create(
                unit=unit,
                kind=ActivityKind.objects.get(code="collective_study"),
                date=date(2021, 1, 5),  # the newest: first on the list
                topic=topic,
                minutes="记录",
                host=host,
            )
            for unit, topic in [
                (Unit.objects.get(code="cppcc-culture"), "主持人在机关的学习"),
                (cppcc, "未记考勤的学习"),
            ]
        )

    def row(unit: str, activity: Activity) -> str:
        html = cppcc_clerk.get(f"/ledger/activities/?unit={unit}").content.decode()
        return html.partition(f'href="/ledger/activities/{activity.pk}/"')[2].partition("</tr>")[0]

    assert f"<td>{host.name}</td>" in row("cppcc-culture", hosted)
    assert "未计入：缺少考勤" in row("cppcc", unattended)
    assert f"<td>{host.name}</td>" in row("cppcc-culture", hosted)  # read back from what was kept
    with django_capture_on_commit_callbacks(execute=True):
        person_update(record=host, expected_version=None, name="改名的主持人")
    assert "<td>改名的主持人</td>" in row("cppcc-culture", hosted)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(activity=unattended, person=host, status="present")
    assert "未计入" not in row("cppcc", unattended)
    kept = [row("cppcc-culture", hosted), row("cppcc", unattended)]
    caches["default"].clear()
    assert [row("cppcc-culture", hosted), row("cppcc", unattended)] == kept
