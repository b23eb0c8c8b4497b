"""English beside Chinese: the catalogue is complete and compiled as shipped, every template's Chinese
goes through a translation tag, Chinese stays the default, and the switch changes the pages' language
but never a document's.
"""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from taizhang.core.catalogue import compile_po, parse_po

PACKAGE = Path(settings.PACKAGE_DIR)
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sd]")

# Templates that are official Chinese texts themselves, never translated. None at present: the
# documents' pages are interface, and the documents are built in Python under core.i18n.in_chinese.
CHINESE_BY_DESIGN: set[str] = set()


def _entries():
    return [e for e in parse_po(PO.read_text(encoding="utf-8")) if e.msgid]


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    entries = _entries()
    assert len(entries) > 400
    problems = []
    for entry in entries:
        strings = [entry.msgstr[i] for i in sorted(entry.msgstr)]
        if entry.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"line {entry.line}: {entry.msgid!r} has no English")
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"line {entry.line}: {entry.msgid!r} → {text!r}: placeholders differ")
            # Chinese is allowed only where the English quotes what a person types (157.3万, 《各界反映》).
            quoted = [run for run in HAN_RUN.findall(text) if run not in entry.msgid]
            if quoted:
                problems.append(f"line {entry.line}: {text!r} is still Chinese: {quoted}")
    assert problems == []


def test_the_compiled_catalogue_is_the_po_file_compiled():
    """The .mo Django reads says what the .po says: compiled at setup, recompiled when the .po changes."""
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "the catalogue is compiled at setup (make setup / app start-up)"
    assert mo.read_bytes() == compile_po(PO.read_text(encoding="utf-8"))
    catalogue = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    for entry in _entries():
        if entry.msgctxt is not None:
            assert catalogue.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr[0]
        elif entry.msgid_plural is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr[0]
        else:
            assert catalogue.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert catalogue.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr[1]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_our_compiler_agrees_with_gnu_msgfmt(tmp_path):
    gnu = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(gnu), str(PO)], check=True)
    theirs = gettext.GNUTranslations(io.BytesIO(gnu.read_bytes()))
    ours = gettext.GNUTranslations(io.BytesIO(compile_po(PO.read_text(encoding="utf-8"))))
    # Every translation the same (the header aside: msgfmt leaves out POT-Creation-Date).
    assert {k: v for k, v in ours._catalog.items() if k} == {k: v for k, v in theirs._catalog.items() if k}
    assert ours.info()["plural-forms"] == theirs.info()["plural-forms"]


def chinese_outside_translation(text: str) -> list[str]:
    """The Chinese a template shows that no translation tag carries."""
    text = re.sub(r"\{#.*?#\}", "", text)  # one line only, as Django reads them
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}", "", text, flags=re.S)
    text = re.sub(r"_\(\"[^\"]*\"\)|_\('[^']*'\)", "", text)  # a filter's argument: date:_("Y年n月j日")
    return [line.strip() for line in text.splitlines() if HAN.search(line)]


def test_the_scan_catches_chinese_outside_a_translation_tag():
    assert chinese_outside_translation('<h1>{% translate "活动台账" %}</h1>') == []
    assert chinese_outside_translation("{% blocktranslate %}共 {{ n }} 条{% endblocktranslate %}") == []
    assert chinese_outside_translation('{{ d|date:_("Y年n月j日") }} {# 注释 #}') == []
    assert chinese_outside_translation("<h1>活动台账</h1>") == ["<h1>活动台账</h1>"]
    assert chinese_outside_translation('<input placeholder="事由">') == ['<input placeholder="事由">']
    assert chinese_outside_translation('{{ x|default:"（无）" }}') == ['{{ x|default:"（无）" }}']


def test_every_template_marks_its_chinese_for_translation():
    templates = sorted(PACKAGE.glob("*/templates/**/*.html"))
    assert len(templates) > 30
    found = {}
    for path in templates:
        name = path.relative_to(PACKAGE).as_posix()
        if name in CHINESE_BY_DESIGN:
            continue
        lines = chinese_outside_translation(path.read_text(encoding="utf-8"))
        if lines:
            found[name] = lines
    assert found == {}


def test_chinese_is_the_default_even_for_a_browser_that_asks_for_english(cppcc_clerk):
    html = cppcc_clerk.get(reverse("ledger:activity-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    html = html.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<h1>活动台账" in html
    assert 'value="English"' in html  # the switch offers the other language


def test_the_switch_keeps_english_across_pages(cppcc_clerk):
    page = reverse("ledger:activity-list")
    html = cppcc_clerk.get(page).content.decode()
    # What the header's switch submits: its hidden fields.
    form = re.search(r'<form class="language"[^>]*action="([^"]+)".*?</form>', html, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))
    response = cppcc_clerk.post(form.group(1), fields)
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    english = cppcc_clerk.get(page).content.decode()
    assert '<html lang="en">' in english
    assert "<h1>Activity ledger" in english
    assert "<summary>Ledger</summary>" in english and "Record an activity" in english
    assert "活动台账" not in english
    other = cppcc_clerk.get(reverse("rules:matrix")).content.decode()
    assert "<h1>Requirements met" in other
    assert 'value="简体中文"' in english


def test_a_form_error_is_in_english_after_the_switch(cppcc_clerk):
    cppcc_clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = cppcc_clerk.post(
        reverse("ledger:activity-create") + "?unit=cppcc", {"unit": "cppcc", "kind": "", "topic": ""}
    )
    html = response.content.decode()
    assert "Choose an activity type." in html or "This field is required." in html
    assert "请选择活动类型" not in html


def test_a_document_downloaded_from_the_english_pages_is_the_same_chinese_document(cppcc_clerk):
    from tests.documents.conftest import read_docx

    url = "/documents/summary/cppcc/2020H1/download.docx?date=2020-07-10"

    def text() -> str:
        return "\n".join(p.text for p in read_docx(cppcc_clerk.get(url).content).paragraphs)

    chinese = text()
    cppcc_clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert text() == chinese
    assert "工作总结" in chinese


@pytest.fixture
def county_leader(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="county-leader"))
    return client


def test_the_leaders_dashboard_and_its_workbooks_are_in_english_after_the_switch(county_leader):
    from openpyxl import load_workbook

    county_leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = county_leader.get(reverse("home"), {"unit": "county", "year": 2020}).content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:2] == [
        "Requirements met by unit, 2020 (share of requirement periods met, %)",
        "Assessment score ranking, 2020 (share of the full score, %)",
    ]
    assert all(not HAN.search(h) for h in headings), headings
    assert "<small>Overview of 2020</small>" in html and "<summary>Table view</summary>" in html
    ranking = re.search(r'<table class="grid chart-table table-ranking".*?</thead>', html, re.S).group(0)
    assert re.findall(r'<th scope="col">(.*?)</th>', ranking) == [
        "Rank",
        "Unit",
        "Score rate",
        "Score",
        "Full score",
    ]

    workbook = county_leader.get(
        reverse("dashboard-export", args=["trend"]), {"unit": "county", "year": 2020}
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Activities per month by type, 2020, compared with 2019"
    assert rows[1][:3] == ("Activity type", "M1", "M2")
    assert ("Total 2020" in [r[0] for r in rows]) and ("Total 2019" in [r[0] for r in rows])


def test_a_kept_dashboard_is_kept_per_language(county_leader, settings):
    """A city's dashboard is computed once and kept; an English visit must not leave English for
    the next Chinese one (nor the other way round)."""
    from django.core.cache import cache

    cache.clear()
    settings.TAIZHANG_DASHBOARD_KEPT_UNITS = 1  # the county counts as a city here
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    county_leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = county_leader.get(reverse("home"), {"unit": "county", "year": 2020}).content.decode()
    county_leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = county_leader.get(reverse("home"), {"unit": "county", "year": 2020}).content.decode()
    assert "<h2>Requirements met by unit, 2020" in english
    assert "<h2>2020年各单位要求落实情况" in chinese and "Requirements met by unit" not in chinese


def test_pages_name_periods_in_their_language_and_documents_stay_chinese(cppcc_clerk):
    url = reverse("org:unit-detail", args=["cppcc"])
    chinese = cppcc_clerk.get(url, {"period": "2020H1"}).content.decode()
    assert "<small>2020年上半年</small>" in chinese
    cppcc_clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = cppcc_clerk.get(url, {"period": "2020H1"}).content.decode()
    assert "<small>H1 2020</small>" in english and "2020年上半年" not in english
    matrix = cppcc_clerk.get(reverse("rules:matrix"), {"unit": "cppcc", "period": "2020Q3"}).content.decode()
    assert "Q3 2020" in matrix
    summary = cppcc_clerk.get(reverse("documents:summary", args=["cppcc", "2020H1"])).content.decode()
    assert "H1 2020" in summary  # the page around the document
    assert "2020年上半年" in summary  # the document itself, always Chinese


def test_every_framework_item_has_its_english_name_beside_the_chinese():
    """Areas, activity kinds and requirements are data, not messages: their English lives in the
    framework file (``name_en``/``title_en``), and the loader carries it into the database."""
    from taizhang.core.framework_file import read_framework, rules_file

    data = read_framework(rules_file())
    missing = []
    for section, field in (("areas", "name_en"), ("activity_kinds", "name_en"), ("requirements", "title_en")):
        for item in data[section]:
            english = str(item.get(field) or "")
            if not english.strip() or HAN.search(english):
                missing.append(f"{section}: {item['code']} has no English {field}")
    if not str(data.get("name_en") or "").strip():
        missing.append("the framework has no name_en")
    assert missing == []


def test_the_english_names_are_loaded_and_shown_on_english_pages(cppcc_clerk):
    from taizhang.ledger.models import ActivityKind
    from taizhang.org.models import Area
    from taizhang.rules.models import Requirement

    assert not ActivityKind.objects.filter(name_en="").exists()
    assert not Area.objects.filter(name_en="").exists()
    cppcc_clerk.get("/rules/?unit=cppcc&period=2020H1")  # loads the framework
    assert not Requirement.objects.filter(title_en="").exists()
    cppcc_clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    matrix = cppcc_clerk.get("/rules/?unit=cppcc&period=2020H1").content.decode()
    assert (
        "Central study group: at least one session a quarter" in matrix
        and "Theoretical study and education" in matrix
    )
    listed = cppcc_clerk.get("/ledger/activities/?unit=cppcc&period=2020H1").content.decode()
    assert "Central study group session" in listed and "理论学习中心组学习" not in listed


def test_no_form_label_is_translated_once_at_import():
    """A form's labels and hints are translated when the page is drawn, not when its module is
    imported: a label made with gettext at import stays in the language the server started in
    (the record form's 典型做法与成效 stayed Chinese on English pages)."""
    import importlib
    import pkgutil
    import re

    from django import forms
    from django.utils.functional import Promise

    import taizhang

    han = re.compile(r"[\u3400-\u9fff]")
    frozen = []
    for info in pkgutil.walk_packages(taizhang.__path__, "taizhang."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, forms.BaseForm)):
                continue
            for name, field in cls.base_fields.items():
                for text in (field.label, field.help_text):
                    if isinstance(text, str) and not isinstance(text, Promise) and han.search(text):
                        frozen.append(f"{cls.__module__}.{cls.__name__}.{name}: {text}")
    assert frozen == [], "\n".join(frozen)
