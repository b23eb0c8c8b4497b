"""A record type is whole or a test says what it lacks.

The registry (``core.registry``) is walked, and for every type: each facet is declared or refused with
a reason, and the declaration holds together (``problems``); then what it declares works as a user
meets it: it is exported and imported back, filtered alike on its page and in the API by every filter
it declares (the same records, the same errors), listed, offered in the menu, in English, stated among
the summary's facts when it says it has any, and found by the extraction words. Adding a type without
one of these fails a test named after the type (``test_the_declaration_is_whole[code]`` …); the last
test declares a type that lacks a facet and shows the check naming it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from taizhang.core.context_processors import GROUPS, MINE, menu
from taizhang.core.declared import pages_of, viewset_of
from taizhang.core.periods import Period
from taizhang.core.registry import (
    READS,
    REGISTRY,
    RecordType,
    Sheet,
    imported_sheets,
    register,
    resolve,
    table_types,
)
from taizhang.documents.bulletin.queries import bulletin_for
from taizhang.documents.drafts.queries import vocabulary
from taizhang.documents.output.model import to_markdown
from taizhang.documents.workbook.queries import ledger_export
from taizhang.extract import extract
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.template import template_workbook
from taizhang.org.models import UnitKind
from taizhang.org.queries import organisation_people
from taizhang.org.services import unit_create

TABLES = [t.code for t in table_types()]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
ALIASES = Path(settings.FRAMEWORKS_DIR) / "import_aliases.yaml"
# Types the summary does not state yet although they declare what it reads (none: the summary's facts
# read every type's declaration, documents/summary/facts.py).
NOT_YET_SUMMARISED: set[str] = set()


def problems(t: RecordType) -> list[str]:
    """What the declaration of ``t`` lacks or gets wrong, each as "facet: what"."""
    out = [f"{facet}: 未声明，也未在 without 中说明为何没有" for facet in t.missing()]
    if t.base:
        return out
    model = apps.get_model(t.model)
    fields = {f.name for f in model._meta.get_fields()}
    if t.sheet is not None:
        if not any(c.exported for c in t.columns):
            out.append("sheet: 没有导出的列")
        read = {c.field for c in t.columns if c.imported}
        for c in t.columns:
            if c.read and c.read not in READS:
                out.append(f"import: 列“{c.header}”的读法 {c.read} 未知")
            if c.read == "choice" and not t.sheet.split and not model._meta.get_field(c.field).choices:
                out.append(f"import: 列“{c.header}”按选项读，字段 {c.field} 却没有选项")
            if c.refers and not (c.refers in REGISTRY and REGISTRY[c.refers].sheet.lookup):
                out.append(f"import: 列“{c.header}”指向的 {c.refers} 没有按标题查找的 lookup")
        if t.sheet.create:
            for name in (*t.sheet.needs, *t.sheet.key):
                if name not in read:
                    out.append(f"import: needs/key 中的 {name} 不是读入的列")
            resolve(t.sheet.create)
    if t.page is not None and not t.page.hand_written:
        for c in t.columns:
            if c.listed and c.attribute.split(".")[0] not in fields and not hasattr(model, c.attribute):
                out.append(f"page: 列表列“{c.header}”读的 {c.attribute} 不在模型中")
            if c.filter and not model._meta.get_field(c.field).choices:
                out.append(f"page: 按“{c.header}”筛选，字段 {c.field} 却没有选项")
        if not any(c.listed for c in t.columns):
            out.append("page: 列表页没有列")
        for path in (t.page.create, t.page.update):
            resolve(path)
    if t.page is None and t.menu:
        out.append("menu: 有菜单项却没有页面")
    groups = {code for code, _ in (*GROUPS, MINE)}
    for entry in t.menu:
        if entry.group not in groups:
            out.append(f"menu: 菜单组 {entry.group} 不存在")
    return out


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_the_declaration_is_whole(code):
    assert problems(REGISTRY[code]) == []


@pytest.mark.parametrize("code", TABLES)
def test_the_aliases_file_names_only_declared_columns(code):
    """The header words clerks write are data (``frameworks/import_aliases.yaml``), keyed by the type's
    code and its declared columns; the column's own header always matches."""
    t = REGISTRY[code]
    section = (yaml.safe_load(ALIASES.read_text(encoding="utf-8")).get("records") or {}).get(code)
    if section is None:
        return
    read = {c.field for c in t.columns if c.imported}
    assert set(section.get("columns") or {}) - {"ignored"} <= read
    assert set(section.get("choices") or {}) <= {c.field for c in t.columns if c.read == "choice"}


def test_every_sheet_the_import_reads_has_its_words():
    data = yaml.safe_load(ALIASES.read_text(encoding="utf-8"))
    assert {t.code for t in imported_sheets()} <= set(data["records"])
    assert set(data["records"]) <= {t.code for t in imported_sheets()}, "a section no declared sheet reads"


# -- the workbook: export, import back ------------------------------------------------------------------


def _fill_template(path: Path, people: list[str]) -> None:
    """The blank template as a clerk fills it: its example rows, with the unit's own people's names."""
    book = load_workbook(io.BytesIO(template_workbook()))
    replace = dict(zip(("张三", "李四", "王五", "赵六"), people, strict=True))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    for old, new in replace.items():
                        cell.value = cell.value.replace(old, new)
    book.save(path)


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    out = {}
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        keep = [i for i, header in enumerate(rows[0]) if header != "单位"]  # another unit: another name
        out[sheet.title] = [tuple(row[i] for i in keep) for row in rows]
    return out


def test_every_type_the_import_reads_is_exported_and_imported_back(cppcc, tmp_path):
    """The template's example of each type imports; a type the bulletin tells is told of the unit;
    the unit's export imports into an empty unit; and that unit's export is the same, sheet for sheet
    (but the 单位 column)."""
    people = list(organisation_people(cppcc))
    names = [p.name for p in people if sum(q.name == p.name for q in people) == 1][:4]
    first = unit_create(code="cppcc-first", name="县政协第一新设委员会", kind=UnitKind.OFFICE, parent=cppcc)
    second = unit_create(code="cppcc-second", name="县政协第二新设委员会", kind=UnitKind.OFFICE, parent=cppcc)
    template = tmp_path / "template.xlsx"
    _fill_template(template, names)
    call_command("import", str(template), "--unit", first.code, stdout=io.StringIO(), stderr=io.StringIO())
    year = Period.parse("2021")
    told = to_markdown(bulletin_for(root=cppcc, period=year))
    for t in REGISTRY.values():  # a sub-unit's records of a type the bulletin tells are told
        if t.bulletin:
            assert f"{t.bulletin[0]}1{t.bulletin[1]}" in told, t.code
    exported = ledger_export(unit=first, period=year)
    path = tmp_path / "first.xlsx"
    path.write_bytes(exported)
    call_command("import", str(path), "--unit", second.code, stdout=io.StringIO(), stderr=io.StringIO())
    original, copied = _sheets(exported), _sheets(ledger_export(unit=second, period=year))
    for t in [t for t in table_types() if t.sheet and (t.sheet.create or t.sheet.reader)]:
        model = apps.get_model(t.model)
        mine = model.objects.filter(**{f"{t.unit_field}__path__startswith": first.path})
        assert mine.exists(), f"{t.code}: the template's example row did not import"
        kinds = set(ActivityKind.objects.values_list("name", flat=True))  # a sheet per kind
        titles = [title for title in original if title in kinds] if t.sheet.split else [t.sheet.title]
        assert titles, f"{t.code}: no sheet exported"
        for title in titles:
            assert len(original[title]) > 1, f"{t.code}: nothing exported on “{title}”"
            assert copied[title] == original[title], f"{t.code}: “{title}” did not come back as it went"


# -- the page and the API: lists, filters, menu, English -------------------------------------------------


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="cppcc-clerk"))
    return client


def _declared_filters(t: RecordType) -> list[tuple[str, list[str]]]:
    """(query parameter, good values) of every filter the type declares beyond unit, period, q."""
    model = apps.get_model(t.model)
    out = [
        (c.field, [code for code, _ in model._meta.get_field(c.field).choices]) for c in t.columns if c.filter
    ]
    out += [(f.name, ["true"]) for f in t.filters]
    return out


def _page_ids(client, t: RecordType, query: dict) -> tuple[int, list[int]]:
    """The list page's count and the records it links to, in order."""
    response = client.get(reverse(t.list_url), query)
    assert response.status_code == 200, (query, response.content.decode()[:300])
    html = response.content.decode()
    count = int(re.search(r"共 (\d+) 条", html).group(1))
    detail = reverse(f"{t.page.app}:{t.page.name}-detail", args=[0]).removesuffix("0/")
    ids = [int(pk) for pk in re.findall(rf'href="{re.escape(detail)}(\d+)/"', html)]
    return count, ids


@pytest.mark.parametrize(
    "code", [c for c in TABLES if REGISTRY[c].page and not REGISTRY[c].page.hand_written]
)
def test_every_declared_filter_means_the_same_on_the_page_and_in_the_api(cppcc_clerk, api, code):
    t = REGISTRY[code]
    url = reverse(t.list_url)
    endpoint = f"/api/{t.api.prefix}/"
    for name, values in _declared_filters(t):
        for value in values:
            page = _page_ids(cppcc_clerk, t, {name: value})
            listed = api.get(endpoint, {name: value})
            assert listed.status_code == 200, (name, value)
            body = listed.json()
            assert page == (body["count"], [row["id"] for row in body["results"]]), (name, value)
        if values != ["true"]:  # a choice no one declared: the same refusal on the field
            bad_page = cppcc_clerk.get(url, {name: "no-such-choice"})
            bad_api = api.get(endpoint, {name: "no-such-choice"})
            assert bad_page.status_code == bad_api.status_code == 400, name
            assert list(bad_api.json()) == [name]
            assert bad_api.json()[name][0] in bad_page.content.decode()


@pytest.mark.parametrize("code", [c for c in TABLES if REGISTRY[c].page])
def test_every_page_is_listed_in_the_menu_and_lists_its_columns(cppcc_clerk, code):
    t = REGISTRY[code]
    links = {name for _, entries in menu() + menu(member=True) for _, name, _ in entries}
    for entry in t.menu:
        name = f"{t.page.app}:{t.page.name}-{entry.action}"
        assert name in links
        assert cppcc_clerk.get(reverse(name)).status_code in (200, 302), name
    html = cppcc_clerk.get(reverse(t.list_url)).content.decode()
    if not t.page.hand_written:
        for label, _ in pages_of(code).columns:
            assert f">{label}" in html, label
        assert viewset_of(code).pages is pages_of(code), "the endpoint filters with the page's FilterSet"


@pytest.mark.parametrize("code", TABLES)
def test_every_type_is_named_in_english(code):
    """The English name is the catalogue's translation of what the pages call one record; the words a
    page shows of the type (menu, list headers, filters) are all in the catalogue."""
    t = REGISTRY[code]
    title = t.page.title if t.page and t.page.title else t.name
    words = [title, *(e.label for e in t.menu)]
    words += [c.list_header for c in t.columns if c.listed and c.list_header]
    words += [c.filter for c in t.columns if c.filter] + [f.label for f in t.filters]
    with translation.override("en"):
        assert translation.gettext(str(title)) == t.english
        untranslated = [str(w) for w in words if HAN.search(translation.gettext(str(w)))]
    assert untranslated == []


# -- the summary and the extraction words ----------------------------------------------------------------


def test_every_type_with_summary_facts_is_stated(cppcc):
    from taizhang.documents.summary.facts import summary_facts

    facts = summary_facts(unit=cppcc, period=Period.parse("2020"))
    stated = {code for code in TABLES if REGISTRY[code].details is not None}
    missing = sorted(stated - set(facts.records) - NOT_YET_SUMMARISED)
    assert missing == []
    # A type this test lets off must still be left off: once stated, it leaves the list.
    assert NOT_YET_SUMMARISED.isdisjoint(facts.records)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_type_is_found_by_the_extraction_words(code, db):
    """A past summary's "全年<name>3<measure>" is read as a figure of the type (or of a kind that shares
    its name, as 志愿服务 does), so a draft's figure is checked and an aggregate imported."""
    t = REGISTRY[code]
    vocab = vocabulary()
    figures = extract(f"全年{t.name}3{t.measure}。", vocab).figures
    assert len(figures) == 1 and figures[0].value == 3
    assert code in vocab.siblings(figures[0].kind)


# -- the test of the test -------------------------------------------------------------------------------


def test_a_type_declared_without_a_facet_is_named_with_the_facet_it_lacks():
    throwaway = RecordType(
        code="throwaway_notes",
        name="临时记录",
        measure="条",
        model="risks.RiskPoint",
        date_field="identified_on",
        engine=False,
        english="Notes",
        sheet=Sheet("临时记录", order=999),
        details=(),
        without={"import": "只是为了这个测试", "api": "只是为了这个测试", "menu": "只是为了这个测试"},
    )
    register(throwaway)
    try:
        assert "throwaway_notes" in REGISTRY  # the walk above would meet it
        assert problems(throwaway) == [
            "page: 未声明，也未在 without 中说明为何没有",
            "sheet: 没有导出的列",
        ]
    finally:
        del REGISTRY["throwaway_notes"]
