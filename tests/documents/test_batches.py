"""A county's summaries as a background batch: asked for on the page, run by the worker, downloaded.

The batch is started by submitting the page's form, the worker is the real ``taizhang worker``
command (``--once``: it empties the queue and stops), and the zip is opened and each document read.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from taizhang.documents.models import Batch
from taizhang.documents.tasks import batch_expire_old, batch_path
from taizhang.org.models import Unit

from .conftest import read_docx


def _start(client, capture, **fields):
    page = client.get("/documents/batches/").content.decode()
    assert 'name="kind"' in page and 'name="unit"' in page and 'name="period"' in page
    form = {
        "kind": "summaries",
        "unit": "cppcc",
        "period": "2020H1",
        "date": "",
        "script": "simplified",
        **fields,
    }
    with capture(execute=True):  # the task is queued when the request's transaction commits
        response = client.post("/documents/batches/", form)
    assert response.status_code == 302, response.content.decode()
    return response.url


def test_a_batch_of_summaries_runs_in_the_worker_and_downloads_as_one_zip(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks, settings, tmp_path, worker_in_test_transaction
):
    settings.MEDIA_ROOT = tmp_path
    url = _start(cppcc_clerk, django_capture_on_commit_callbacks)
    page = cppcc_clerk.get(url).content.decode()
    units = list(Unit.objects.filter(path__startswith=cppcc.path))
    assert "排队中" in page and f"已生成 0 / {len(units)} 份" in page and 'hx-trigger="every 2s"' in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("worker", "--once", stdout=io.StringIO())

    progress = cppcc_clerk.get(url + "progress/").content.decode()
    assert "已完成" in progress and f"已生成 {len(units)} / {len(units)} 份" in progress
    assert "hx-trigger" not in progress  # the page stops asking once it is done
    assert "文件保留 7 天" in progress
    download = re.search(r'href="([^"]+download\.zip)"', progress).group(1)
    response = cppcc_clerk.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        titles = [read_docx(archive.read(name)).paragraphs[0].text for name in names]
    # One summary per unit of the tree, each about its own unit.
    assert len(names) == len(units) and all(name.endswith(".docx") for name in names)
    for unit in units:
        assert any(title.startswith(unit.name) for title in titles), unit.name
    assert DBTaskResult.objects.get().status == "SUCCEEDED"


def test_a_batch_is_its_requesters_and_covers_only_units_they_see(
    client, cppcc, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    users = get_user_model().objects
    client.force_login(users.get(username="school-clerk"))
    refused = client.post("/documents/batches/", {"kind": "summaries", "unit": "cppcc", "period": "2020H1"})
    assert (
        refused.status_code == 400 and "无权查看" in refused.content.decode() and not Batch.objects.exists()
    )
    client.force_login(users.get(username="cppcc-clerk"))
    url = _start(client, django_capture_on_commit_callbacks, kind="ledgers")
    client.force_login(users.get(username="cppcc-leader"))
    assert client.get(url).status_code == 404  # someone else's batch
    client.force_login(users.get(username="cppcc-member"))
    assert client.get("/documents/batches/").status_code == 404


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_with_the_immediate_backend_the_batch_is_done_when_the_page_opens(
    cppcc_clerk, cppcc, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    child = cppcc.children.order_by("path").first()
    url = _start(cppcc_clerk, django_capture_on_commit_callbacks, kind="ledgers", unit=child.code)
    page = cppcc_clerk.get(url).content.decode()
    assert "已完成" in page
    batch = Batch.objects.get()
    with zipfile.ZipFile(batch_path(batch)) as archive:
        assert any(name.startswith(child.name) and name.endswith(".xlsx") for name in archive.namelist())
    # Past the retention the file is removed and the page says so.
    Batch.objects.filter(pk=batch.pk).update(finished=timezone.now() - timedelta(days=8))
    assert batch_expire_old() == 1 and not batch_path(batch).exists()
    assert "已超过保留期限" in cppcc_clerk.get(url).content.decode()
