"""Every spreadsheet the product writes is inert: hostile text typed into any record comes out as
text that no spreadsheet program runs, and reads back in as it was typed (``core.cells``).

The hostile values go into every free-text field of every record type the registry declares (the
fields found from the models, not listed here), and a member types the 学习体会 title the issue
names through their own page. Then every export is downloaded as its users download it: the ledger
workbook (web, command line and a batch's .zip), each list page as .csv and .xlsx, the dashboard's
tables, the score sheet and the blank template; openpyxl must find no formula cell in any .xlsx,
and no CSV cell may begin with a formula sign unless escaped. The workbook and the activity list's
CSV are imported into an empty unit and must give back the typed text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from itertools import count, cycle

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.core.cells import FORMULA_SIGNS, csv_unescaped, inert, typed_text
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY, imported_sheets
from taizhang.documents.models import Batch
from taizhang.documents.tasks import batch_path, batch_run
from taizhang.ledger import import_writes, imports
from taizhang.ledger.models import Activity, ActivityKind, Reflection
from taizhang.org.models import Person, Unit, UnitKind
from taizhang.org.services import unit_create

pytestmark = pytest.mark.django_db

PERIOD = "2020"
MEMBER_TITLE = '=HYPERLINK("http://x","点此")'
# OWASP's examples, each made unique by a number (titles are how imports tell records apart)
HOSTILE = (
    '=HYPERLINK("http://x.example/{n}","点此")',
    "+1+cmd|' /C calc'!A0（{n}）",
    "-1+cmd|' /C calc'!A0（{n}）",
    "@SUM(1+1)*cmd|' /C calc'!A0（{n}）",
    "\t=1+1（{n}）",
    "\r=1+1（{n}）",
    "'=1+1（{n}）",  # an apostrophe typed in front: it must survive the CSV's own escaping
)
SHORT = (
    "={n}号",
    "+{n}号",
    "-{n}号",
    "@{n}号",
    "\t={n}号",
    "\r={n}号",
    "'={n}号",
)  # for fields of a few characters
NOT_TYPED = {("ledger.reflection", "period")}  # a period code the service sets, no form has it


def text_fields(model) -> list[models.Field]:
    """The free-text fields a form lets someone type into: not choices, not links (a URL field
    refuses ``=…`` anyway), not codes."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.URLField)
        and not f.choices
        and f.editable
        and (model._meta.label_lower, f.name) not in NOT_TYPED
    ]


def base_types():
    """Each table the registry declares once (its subsets name the same rows)."""
    return [t for t in REGISTRY.values() if not t.base]


def hostile(field: models.Field, number: int, shape) -> str:
    long, short = shape
    value = long.format(n=number)
    value = value if len(value) <= (field.max_length or 10_000) else short.format(n=number)
    if isinstance(field, models.TextField) and value.startswith("\r"):
        value = f"\t{value[1:]}"  # in a text of several lines a carriage return is a line break
    return value


@pytest.fixture
def typed(cppcc) -> dict[tuple[str, str], dict[int, str]]:
    """Hostile text in every free-text field of every record of every type in cppcc's 2020 ledger
    (written into the rows: every form takes any text), and the member's reflection typed through
    their own page; returns (model, field) → {pk: text}."""
    period = Period.parse(PERIOD)
    shapes = cycle(zip(HOSTILE, SHORT, strict=True))
    numbers = count(1)  # every value unique, whatever field or table it is in
    out: dict[tuple[str, str], dict[int, str]] = {}
    for record_type in base_types():
        model = apps.get_model(record_type.model)
        rows = model.objects.filter(**{f"{record_type.unit_field}__path__startswith": cppcc.path})
        if record_type.date_field and not record_type.stock:  # a stock is listed while it stands
            rows = rows.filter(**{f"{record_type.date_field}__range": (period.start, period.end)})
        for record in rows:
            values = {f.name: hostile(f, next(numbers), next(shapes)) for f in text_fields(model)}
            model.objects.filter(pk=record.pk).update(**values)
            for name, value in values.items():
                out.setdefault((model._meta.label_lower, name), {})[record.pk] = value
    response = login("cppcc-member").post(
        reverse("ledger:mine"), {"title": MEMBER_TITLE, "date": "2020-05-06", "text": "=1+1"}
    )
    assert response.status_code == 302, response.content.decode()
    reflection = Reflection.objects.get(title=MEMBER_TITLE)
    out.setdefault(("ledger.reflection", "title"), {})[reflection.pk] = MEMBER_TITLE
    return out


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def formula_cells(data: bytes) -> list[str]:
    """Every cell of the workbook that a spreadsheet program would compute, as sheet!cell."""
    book = load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def text_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def live_csv_cells(data: bytes) -> list[str]:
    return [cell for cell in csv_cells(data) if cell.startswith(FORMULA_SIGNS)]


def test_the_inert_cell_keeps_numbers_and_dates_and_escapes_only_text():
    from datetime import date

    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet()
    assert inert(5) == 5 and inert(-3.5, sheet) == -3.5 and inert(date(2020, 1, 2), sheet) == date(2020, 1, 2)
    assert inert("张三") == "张三" and inert("张三", sheet) == "张三"
    assert inert("=1+1") == "'=1+1" and inert("'x") == "''x"
    cell = inert("=1+1", sheet)
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", "=1+1", True)
    for text in ("=1+1", "\t=1+1", "'=1+1", "-5", "'"):
        assert csv_unescaped(inert(text)) == text
    assert typed_text(" \t张三 ") == "张三" and typed_text("\t=1+1 ") == "\t=1+1"


def test_every_workbook_download_has_no_formula_and_reads_back_as_typed(
    typed, cppcc, admin_client, tmp_path, settings
):
    member_unit = Person.objects.get(user__username="cppcc-member").unit
    query = {"unit": cppcc.code, "period": PERIOD, "children": "on"}
    web = admin_client.get("/documents/ledger.xlsx", query)
    assert web.status_code == 200, web.content.decode()[:300]
    cli = tmp_path / "ledger.xlsx"
    call_command(
        "export", "ledger", "--unit", cppcc.code, "--period", PERIOD, "-o", str(cli), stdout=io.StringIO()
    )
    settings.MEDIA_ROOT = tmp_path
    batch = Batch.objects.create(
        kind=Batch.Kind.LEDGERS,
        unit=cppcc,
        period=PERIOD,
        unit_ids=[cppcc.pk, member_unit.pk],
        total=2,
        requested_by=get_user_model().objects.get(username="demo"),
    )
    batch_run.func(batch.pk)
    batch.refresh_from_db()
    with zipfile.ZipFile(batch_path(batch)) as archive:
        zipped = [archive.read(name) for name in archive.namelist()]
    assert len(zipped) == 2

    for data in (web.content, cli.read_bytes(), *zipped):
        assert formula_cells(data) == []
    cells = text_cells(web.content)
    assert MEMBER_TITLE in cells  # the member's reflection is in the workbook, as text
    for shape in HOSTILE:  # every kind of hostile value reached the workbook
        start = shape.split("{n}")[0]
        assert any(cell.startswith(start) for cell in cells), shape

    # export → import into an empty unit: every typed text the workbook carries comes back
    path = tmp_path / "cppcc.xlsx"
    path.write_bytes(cli.read_bytes())
    empty = unit_create(code="cppcc-empty", name="县政协新设委员会", kind=UnitKind.OFFICE, parent=cppcc)
    call_command("import", str(path), "--unit", empty.code, stdout=io.StringIO())
    read_back = {"activities", *(t.code for t in imported_sheets())}
    exported_cells = "\n".join(text_cells(path.read_bytes()))
    compared = 0
    for record_type in base_types():
        if record_type.code not in read_back:
            continue
        model = apps.get_model(record_type.model)
        imported = model.objects.filter(**{f"{record_type.unit_field}__path__startswith": empty.path})
        own = set(model.objects.filter(**{record_type.unit_field: cppcc}).values_list("pk", flat=True))
        for field in text_fields(model):
            values = [
                v for pk, v in typed.get((model._meta.label_lower, field.name), {}).items() if pk in own
            ]
            exported = {value for value in values if value in exported_cells}
            if exported:
                assert set(imported.values_list(field.name, flat=True)) == exported, (
                    record_type.code,
                    field.name,
                )
                compared += 1
    assert compared >= 15  # topics, titles, places, measures, winners …: not a vacuous pass


def test_every_list_export_is_inert_and_the_activity_csv_reads_back(typed, cppcc, admin_client, tmp_path):
    urls = sorted({t.list_url for t in REGISTRY.values() if t.list_url})
    assert len(urls) >= 8
    for url in urls:
        for fmt in ("csv", "xlsx"):
            response = admin_client.get(reverse(url), {"unit": cppcc.code, "period": PERIOD, "export": fmt})
            assert response.status_code == 200, (url, fmt)
            if fmt == "csv":
                data = response.content
                assert live_csv_cells(data) == [], url
                assert any(cell.startswith("'") for cell in csv_cells(data)), url  # escaped, not dropped
            else:
                assert formula_cells(response.content) == [], url

    response = admin_client.get(
        reverse("ledger:activity-list"), {"unit": cppcc.code, "period": PERIOD, "export": "csv"}
    )
    path = tmp_path / "activities.csv"
    path.write_bytes(response.content)
    empty = unit_create(code="cppcc-csv", name="县政协新设办公室", kind=UnitKind.OFFICE, parent=cppcc)
    plan = imports.plan_import(path, empty)
    assert list(plan.problems) == []
    topics = set(typed[("ledger.activity", "topic")].values())
    own = set(Activity.objects.filter(unit=cppcc, date__year=2020).values_list("topic", flat=True))
    assert {a.topic for a in plan.activities} >= own & topics and own & topics


def test_the_dashboard_score_sheet_and_template_are_inert(cppcc, admin_client):
    """A unit's name (an admin types it) and a kind's name (the framework's) are text as well."""
    county_leader = login("county-leader")
    name = '=HYPERLINK("http:x","点此")'
    Unit.objects.filter(pk=cppcc.pk).update(name=name, short_name=name)
    for key in ("ranking", "heatmap", "trend", "reporting", "due"):
        response = county_leader.get(
            reverse("dashboard-export", args=[key]), {"unit": "county", "year": 2020}
        )
        assert response.status_code == 200, key
        assert formula_cells(response.content) == [], key
    ranking = county_leader.get(
        reverse("dashboard-export", args=["ranking"]), {"unit": "county", "year": 2020}
    )
    assert name in text_cells(ranking.content)
    sheet = admin_client.get("/documents/score.xlsx", {"unit": "cppcc", "period": PERIOD})
    assert sheet.status_code == 200
    assert formula_cells(sheet.content) == []
    assert any(cell.startswith(name) for cell in text_cells(sheet.content))
    kind = ActivityKind.objects.order_by("order").first()
    ActivityKind.objects.filter(pk=kind.pk).update(name=name)
    template = admin_client.get(reverse("ledger:import-template"))
    assert template.status_code == 200
    assert formula_cells(template.content) == []
    assert name in text_cells(template.content)


def test_a_clerks_csv_reads_an_escaped_cell_and_a_tab_kept_formula_as_typed(cppcc, tmp_path):
    """``'=1+1`` (as our export escapes it) reads ``=1+1``; ``\t=1+1`` keeps the tab that keeps it text."""
    path = tmp_path / "mine.csv"
    path.write_text(
        '日期,类型,主题,地点\n2020-03-05,中心组学习,\'=1+1,"\t=1+1"\n2020-03-06,中心组学习,"\t=2+2 ",\'-3\n',
        encoding="utf-8",
    )
    plan = imports.plan_import(path, cppcc)
    assert list(plan.problems) == []
    assert [(a.topic, a.location) for a in plan.activities] == [("=1+1", "\t=1+1"), ("\t=2+2", "-3")]
    written = import_writes.import_plan(plan, cppcc)
    assert written == 2
    assert Activity.objects.filter(unit=cppcc, topic="\t=2+2").exists()
