"""Uploads: size limit and a whitelist of types, each refusal a message naming the file; nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.ledger.models import Activity, Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(cppcc):
    return Activity.objects.filter(unit=cppcc).first()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, activity, name, content):
    url = reverse("ledger:activity-attachment-add", args=[activity.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    return response.content.decode()


def test_a_pdf_is_kept(cppcc_clerk, activity):
    page = upload(cppcc_clerk, activity, "签到表.pdf", b"%PDF-1.4 test")
    assert "已上传" in page
    assert Attachment.objects.filter(activity=activity, name="签到表.pdf").exists()


def test_an_oversized_file_is_refused(cppcc_clerk, activity, settings):
    settings.TAIZHANG_UPLOAD_MAX_BYTES = 1024
    page = upload(cppcc_clerk, activity, "大文件.pdf", b"%PDF" + b"0" * 2048)
    assert "文件“大文件.pdf”大小为" in page and "超过上限" in page
    assert not Attachment.all_objects.filter(activity=activity).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("脚本.exe", b"MZ\x90\x00", "类型不允许上传"), ("伪装.pdf", b"MZ\x90\x00", "内容与扩展名 .pdf 不符")],
)
def test_a_disallowed_type_is_refused(cppcc_clerk, activity, name, content, message):
    page = upload(cppcc_clerk, activity, name, content)
    assert message in page and name in page
    assert not Attachment.all_objects.filter(activity=activity).exists()


def test_another_units_clerk_cannot_upload(school_clerk, activity):
    url = reverse("ledger:activity-attachment-add", args=[activity.pk])
    response = school_clerk.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert response.status_code == 404
    assert not Attachment.all_objects.filter(activity=activity).exists()
