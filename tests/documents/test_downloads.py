"""Every document downloads from the page where a person looks for it, and opens with its content.

Each test reads the page, follows the link (or submits the form) as the browser would, and opens the
file with python-docx or openpyxl: the unit's name and a figure from the ledger must be in it.
"""

from __future__ import annotations

import html
import io
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from taizhang.core.periods import Period
from taizhang.documents.output import pdf
from taizhang.ledger.models import Activity
from taizhang.ledger.queries import in_period

from .conftest import read_docx

H1 = Period.parse("2020H1")


def link(page: str, text: str) -> str:
    """The href of the link whose text is ``text`` (as the browser reads it: entities decoded)."""
    found = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)">' + re.escape(text) + "</a>", page)
    assert found, f"no link “{text}” on the page"
    return html.unescape(found[0])


def saved_name(response) -> str:
    """The file name a browser saves under: RFC 5987's UTF-8 name, which takes precedence."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''([^;]+)", header, re.IGNORECASE)
    assert encoded, header
    return unquote(encoded.group(1))


def docx_text(data: bytes) -> str:
    doc = read_docx(data)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def workbook_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def _attended_activity(unit) -> Activity:
    return (
        in_period(Activity.objects.filter(unit=unit, attendances__isnull=False), H1)
        .select_related("unit")
        .distinct()
        .order_by("date", "pk")
        .first()
    )


def test_activity_page_offers_its_record_and_sign_in_sheet(cppcc_clerk, cppcc):
    activity = _attended_activity(cppcc)
    present = activity.attendances.select_related("person").first().person.name
    page = cppcc_clerk.get(f"/ledger/activities/{activity.pk}/").content.decode()
    for text, title in (("活动记录（Word）", "活动记录"), ("签到表（Word）", "签到表")):
        response = cppcc_clerk.get(link(page, text))
        assert response.status_code == 200
        name = saved_name(response)
        assert name.startswith(f"县政协机关{activity.date:%Y-%m-%d}") and name.endswith(f"{title}.docx")
        body = docx_text(response.content)
        assert "县政协机关" in body and activity.topic in body and present in body


def test_unit_page_offers_the_ledger_workbook_and_the_study_archive(cppcc_clerk, cppcc):
    page = cppcc_clerk.get("/org/units/cppcc/", {"period": "2020H1"}).content.decode()
    response = cppcc_clerk.get(link(page, "台账（Excel）"))
    assert saved_name(response) == "县政协机关2020年上半年台账.xlsx"
    text = workbook_text(response.content)
    topics = in_period(Activity.objects.filter(unit=cppcc), H1).values_list("topic", flat=True)
    assert "县政协机关" in text and topics and all(topic in text for topic in topics)

    response = cppcc_clerk.get(link(page, "学习档案（Word）"))
    assert saved_name(response) == "县政协机关2020年上半年学习档案.docx"
    study = in_period(Activity.objects.filter(unit=cppcc, kind__area__code="theory_study"), H1)
    body = docx_text(response.content)
    assert "县政协机关" in body and study.exists() and all(a.topic in body for a in study)


def test_activity_list_filtered_to_a_unit_and_period_offers_its_workbook(cppcc_clerk, cppcc):
    page = cppcc_clerk.get("/ledger/activities/", {"unit": "cppcc", "period": "2020H1"}).content.decode()
    response = cppcc_clerk.get(link(page, "台账（Excel）"))
    assert response.status_code == 200 and "县政协机关" in workbook_text(response.content)


def test_start_page_downloads_the_bulletin_and_the_score_sheet(cppcc_clerk, cppcc):
    page = cppcc_clerk.get("/documents/").content.decode()
    # What the form submits: every field, as the page renders it, with the chosen unit and period.
    form = {"unit": "cppcc", "period": "2020H1", "date": "2020-07-10", "script": "simplified", "as_of": ""}
    assert 'formaction="/documents/bulletin.docx"' in page and 'formaction="/documents/score.xlsx"' in page
    response = cppcc_clerk.get("/documents/bulletin.docx", form)
    assert saved_name(response) == "县政协机关2020年上半年通报.docx"
    body = docx_text(response.content)
    child = cppcc.children.order_by("path").first()
    assert child.name in body and "2020年7月10日" in body and re.search(r"\d+[次篇条]", body)

    response = cppcc_clerk.get("/documents/score.xlsx", form)
    assert saved_name(response) == "县政协机关2020年上半年考核评分表.xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "县政协机关2020年上半年意识形态工作考核评分表"
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "合计")
    assert isinstance(total[9], (int, float)) and 0 < total[9] <= total[6]


def test_matrix_page_offers_the_score_sheet_as_of_its_day(cppcc_clerk):
    page = cppcc_clerk.get(
        "/rules/", {"unit": "cppcc", "period": "2020H1", "as_of": "2020-06-30"}
    ).content.decode()
    url = link(page, "下载考核评分表（Excel）")
    assert "as_of=2020-06-30" in url
    sheet = load_workbook(io.BytesIO(cppcc_clerk.get(url).content)).active
    assert sheet["A2"].value.startswith("截至 2020-06-30")


def test_a_bad_field_is_an_error_on_the_start_page_not_a_file(cppcc_clerk):
    response = cppcc_clerk.get("/documents/score.xlsx", {"unit": "cppcc", "period": "2020H3"})
    assert response.status_code == 400 and "期间不存在" in response.content.decode()
    response = cppcc_clerk.get(
        "/documents/bulletin.docx", {"unit": "cppcc", "period": "2020", "date": "2020-02-30"}
    )
    assert response.status_code == 400 and "落款日期" in response.content.decode()


def test_a_member_or_another_organisation_gets_no_workbook(client, cppcc):
    users = get_user_model().objects
    activity = _attended_activity(cppcc)
    query = {"unit": "cppcc", "period": "2020H1"}
    client.force_login(users.get(username="cppcc-member"))
    assert client.get("/documents/ledger.xlsx", query).status_code == 404
    assert client.get(f"/documents/activity/{activity.pk}/signin.docx").status_code == 404
    client.force_login(users.get(username="school-clerk"))
    response = client.get("/documents/ledger.xlsx", query)
    assert (
        response.status_code == 400 and "没有代码为“cppcc”的单位，或您无权查看" in response.content.decode()
    )
    assert client.get(f"/documents/activity/{activity.pk}/record.docx").status_code == 404
    # A leader reads the ledger but not the roster's phone numbers.
    client.force_login(users.get(username="cppcc-leader"))
    assert client.get("/documents/ledger.xlsx", query).status_code == 200
    refused = client.get("/documents/ledger.xlsx", {**query, "personal": "on"})
    assert refused.status_code == 403 and "管理员" in refused.content.decode()


def test_summary_page_takes_a_date_field_and_names_the_traditional_file_apart(cppcc_clerk):
    url = "/documents/summary/cppcc/2020H1/"
    response = cppcc_clerk.get(url, {"date": "2020-07-45"})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="date-error"' in page and "2020年7月6日" in page
    refused = cppcc_clerk.get(url + "download.docx", {"date": "2020-07-45"})
    assert refused.status_code == 400 and refused.content.decode().startswith("落款日期：")
    # The start page's date goes on to the preview.
    start = cppcc_clerk.get("/documents/", {"unit": "cppcc", "period": "2020H1", "date": "2020-07-08"})
    assert start.status_code == 302 and "date=2020-07-08" in start.url
    names = {
        script: saved_name(cppcc_clerk.get(url + "download.docx", {"script": script}))
        for script in ("simplified", "traditional")
    }
    assert names["simplified"] == "县政协机关2020年上半年意识形态工作总结.docx"
    assert names["traditional"] != names["simplified"] and "（繁体）" in names["traditional"]


def test_without_libreoffice_pdf_links_are_not_offered_and_say_what_to_install(
    cppcc_clerk, cppcc, monkeypatch
):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    activity = _attended_activity(cppcc)
    page = cppcc_clerk.get(f"/ledger/activities/{activity.pk}/").content.decode()
    assert "活动记录（Word）" in page and "（PDF）" not in page
    response = cppcc_clerk.get(f"/documents/activity/{activity.pk}/record.pdf")
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()


@pytest.mark.skipif(pdf.soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_the_sign_in_sheet_as_pdf(cppcc_clerk, cppcc):
    activity = _attended_activity(cppcc)
    page = cppcc_clerk.get(f"/ledger/activities/{activity.pk}/").content.decode()
    response = cppcc_clerk.get(link(page, "签到表（PDF）"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert saved_name(response).endswith("签到表.pdf")
