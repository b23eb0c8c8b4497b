"""The summary pages: preview with provenance on hover, saved versions, downloads, scope."""

from __future__ import annotations

import re

from django.urls import reverse

from taizhang.documents.models import SummaryVersion
from taizhang.ledger.models import Activity

from .conftest import read_docx

URL = "/documents/summary/cppcc/2020H1/"


def test_preview_shows_figures_with_their_records_on_hover_and_on_tap(cppcc_clerk, cppcc):
    page = cppcc_clerk.get(URL).content.decode()
    assert "县政协机关2020年上半年意识形态工作总结" in page
    seminar = Activity.objects.filter(unit=cppcc, kind__code="seminar").order_by("date").first()
    figures = re.findall(
        r'<span class="figure" tabindex="0" title="([^"]*)">([^<]*)<span class="sources" role="tooltip">',
        page,
    )
    seminars = [title for title, text in figures if text == "2次" and "专题研讨" in title]
    assert any(f"活动 #{seminar.pk} " in title for title in seminars)
    # A practice module's figure names its own records, never activities with the same ids.
    gejie = [title for title, text in figures if text == "27期"]
    assert gejie and all("《各界反映》期数" in t and "信息采用 #" in t and "活动 #" not in t for t in gejie)
    # The preview is dated as the document will be, and the date can be changed.
    assert 'name="date" value="2020-07-06"' in page and "2020年7月6日" in page
    later = cppcc_clerk.get(URL, {"date": "2020-07-10"}).content.decode()
    assert "2020年7月10日" in later and 'name="date" value="2020-07-10"' in later  # downloads carry it
    assert "<script>" not in page  # no inline scripts (CSP)


def test_saving_keeps_each_version_and_the_download_uses_it(cppcc_clerk, cppcc):
    for text in ("宣传队伍力量还比较薄弱。", "信息报送的质量有待提高。"):
        response = cppcc_clerk.post(URL, {"shortcomings": text, "next_steps": "加强培训。"})
        assert response.status_code == 302
    versions = SummaryVersion.objects.filter(unit=cppcc, period="2020H1")
    assert [v.number for v in versions] == [2, 1]
    assert "信息报送的质量有待提高。" in versions[0].snapshot
    docx = read_docx(cppcc_clerk.get(URL + "download.docx?version=1").content)
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "宣传队伍力量还比较薄弱。" in text and "信息报送的质量有待提高。" not in text


def test_another_units_clerk_cannot_see_or_save(school_clerk, cppcc):
    assert school_clerk.get(URL).status_code == 404
    assert school_clerk.post(URL, {"shortcomings": "x"}).status_code == 404
    assert school_clerk.get(URL + "download.docx").status_code == 404
    assert not SummaryVersion.objects.exists()


def test_start_page_is_in_the_nav(admin_client):
    page = admin_client.get("/documents/").content.decode()
    assert "意识形态工作总结" in page and 'href="/documents/"' in page


def test_edit_boxes_start_from_the_proposals_of_unmet_requirements(cppcc_clerk, cppcc):
    Activity.objects.filter(unit=cppcc, kind__code="joint_meeting").update(deleted=True)
    page = cppcc_clerk.get(URL).content.decode()
    boxes = re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', page)
    assert dict(boxes)["shortcomings"].count("联席会议") == 1
    assert "联席会议" in dict(boxes)["next_steps"]


def test_a_leader_approves_a_saved_version_once_and_only_without_placeholders(client, cppcc):
    from django.contrib.auth import get_user_model

    from taizhang.documents.models import SummaryVersion

    users = get_user_model().objects
    url = reverse("documents:summary", kwargs={"unit": "cppcc", "period": "2020H1"})
    approve = reverse("documents:summary-approve", kwargs={"unit": "cppcc", "period": "2020H1"})
    from taizhang.campaigns.models import Selection, VolunteerActivity
    from taizhang.channels.models import Channel

    client.force_login(users.get(username="cppcc-clerk"))
    # Nothing recorded for a whole area leaves a 【待补充】 for the clerk in the saved version.
    hidden = [
        model.objects.filter(unit__path__startswith=cppcc.path)
        for model in (Channel, VolunteerActivity, Selection)
    ] + [Activity.objects.filter(unit__path__startswith=cppcc.path, kind__area__code="channels_culture")]
    ids = [list(rows.values_list("pk", flat=True)) for rows in hidden]
    for rows in hidden:
        rows.update(deleted=True)
    client.post(url, {"shortcomings": "", "next_steps": ""})
    for rows, pks in zip(hidden, ids, strict=True):
        rows.model.all_objects.filter(pk__in=pks).update(deleted=False)
    client.post(url, {"shortcomings": "一是宣传形式还不够丰富。", "next_steps": "一是加强宣传队伍建设。"})
    first, second = SummaryVersion.objects.filter(unit=cppcc, period="2020H1").order_by("number")
    # A clerk may save, not approve.
    assert client.post(approve, {"version": second.number}).status_code == 404
    client.force_login(users.get(username="cppcc-leader"))
    page = client.post(approve, {"version": first.number}, follow=True).content.decode()
    assert "处待补充" in page and SummaryVersion.objects.get(pk=first.pk).approved_at is None
    page = client.post(approve, {"version": second.number}, follow=True).content.decode()
    second.refresh_from_db()
    assert second.approved_at is not None and "已审定" in page
    again = client.post(approve, {"version": second.number}, follow=True).content.decode()
    assert "已于" in again
    # A leader of another organisation cannot approve it.
    client.force_login(users.get(username="school-leader"))
    assert client.post(approve, {"version": second.number}).status_code == 404
