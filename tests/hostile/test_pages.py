"""Every hostile file through every upload page, as a clerk's browser would send it: the page's own
form (its CSRF token and fields), the file in a multipart body.

Each must come back as one clear refusal naming the file and the limit, within 10 s, with the
reader (a child process: ``core.sandbox``) adding under 500 MB and this process growing by less,
nothing written, and the site answering the next request.
"""

from __future__ import annotations

import json
import os
import re
import resource
import time

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.core import sandbox
from taizhang.ledger.models import Activity
from tests.hostile.budget import MEMORY, in_time
from tests.hostile.files import HOSTILE, Hostile
from tests.html import form_data

pytestmark = pytest.mark.django_db
SHOWN = 200  # problems a refusal lists by cell


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser(username: str) -> Client:
    """A logged-in browser that sends the CSRF token its pages gave it, or is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def counts() -> dict[str, int]:
    """Rows of every table of taizhang's own apps: what "nothing written" is checked against."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("taizhang.") and not model._meta.proxy
    }


def send(client: Client, url: str, form: dict, field: str, hostile: Hostile, data: bytes, **extra):
    """Post ``form`` with the file; the answer, its page (redirects followed), seconds, and the reader
    children's usage."""
    payload = {**form, **extra, field: SimpleUploadedFile(hostile.name, data)}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with sandbox.observed() as children:
        started, cpu = time.monotonic(), time.process_time()
        response = client.post(url, payload, follow=True)
        seconds = (
            time.monotonic() - started,
            time.process_time() - cpu + sum(c.cpu_seconds for c in children),
        )
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    return response, response.content.decode(), seconds, children, grown


def refused(page: str, hostile: Hostile) -> list[str]:
    """The lines of the page that name the file: the refusal."""
    text = re.sub(r"<[^>]+>", "\n", page)
    return [line.strip() for line in text.splitlines() if hostile.name in line]


def record(page: str, hostile: Hostile, seconds, children) -> None:
    """What the refusal cost, appended to $HOSTILE_FIGURES_PAGES (JSON lines) when it is set."""
    if os.environ.get("HOSTILE_FIGURES_PAGES"):
        with open(os.environ["HOSTILE_FIGURES_PAGES"], "a", encoding="utf-8") as out:
            figures = {
                "page": page,
                "file": hostile.name,
                "seconds": round(seconds[0], 2),
                "cpu_seconds": round(seconds[1], 2),
                "reader_added_mb": max((c.added_bytes >> 20 for c in children), default=0),
                "reader_cpu_seconds": round(sum(c.cpu_seconds for c in children), 2),
            }
            out.write(json.dumps(figures, ensure_ascii=False) + "\n")


def check_costs(seconds, children, grown) -> None:
    assert in_time(*seconds), f"{seconds[0]:.1f} s, {seconds[1]:.1f} s CPU"
    assert all(child.added_bytes < MEMORY for child in children), children
    assert all(child.outcome in ("raised", "ok") for child in children), children  # refused by a check
    assert grown < MEMORY, f"this process grew by {grown >> 20} MB"


SHEETS = [h for h in HOSTILE if h.kind == "sheet"]
DOCUMENTS = [h for h in HOSTILE if h.kind == "document"]
PACKAGES = [h for h in HOSTILE if h.attachment]


@pytest.mark.parametrize("hostile", SHEETS, ids=[h.name for h in SHEETS])
def test_the_import_page_refuses_it_in_one_line(hostile, hostile_files, cppcc):
    clerk = browser("cppcc-clerk")
    url = f"{reverse('ledger:activity-import')}?unit=cppcc"
    form = form_data(clerk.get(url).content.decode())
    form.pop("dry_run", None)  # "only check" unticked: the file would be written if it could be
    before = counts()
    response, page, seconds, children, grown = send(
        clerk, url, form, "file", hostile, hostile_files[hostile.name].read_bytes()
    )
    record("import", hostile, seconds, children)
    assert response.status_code == 400
    if hostile.problems:  # the rows are wrong: the first 200 by cell, then how many more of which kind
        listed = re.findall(r"<li>([^<]*![A-Z]+\d+: [^<]*)</li>", page)
        assert 0 < len(listed) <= SHOWN
        assert any(said in page for said in hostile.says), page[-2000:]
        assert len(page) < 200_000 and "upload!" not in page  # cells of the user's file
    else:
        lines = refused(page, hostile)
        assert len(lines) == 1 and any(said in lines[0] for said in hostile.says), lines
        assert "upload" not in lines[0]  # the user's file, never the temporary one
    check_costs(seconds, children, grown)
    assert counts() == before
    assert clerk.get(url).status_code == 200


@pytest.mark.parametrize("hostile", DOCUMENTS, ids=[h.name for h in DOCUMENTS])
def test_the_factcheck_page_refuses_it_in_one_line(hostile, hostile_files, cppcc):
    clerk = browser("cppcc-clerk")
    url = reverse("documents:factcheck")
    form = form_data(clerk.get(url).content.decode(), css_class="factcheck-form")
    before = counts()
    response, page, seconds, children, grown = send(
        clerk,
        url,
        form,
        "draft",
        hostile,
        hostile_files[hostile.name].read_bytes(),
        unit="cppcc",
        period="2020H1",
    )
    record("factcheck", hostile, seconds, children)
    assert response.status_code == 400
    lines = refused(page, hostile)
    assert len(lines) == 1 and any(said in lines[0] for said in hostile.says), lines
    check_costs(seconds, children, grown)
    assert counts() == before
    assert clerk.get(url).status_code == 200


@pytest.mark.parametrize("hostile", PACKAGES, ids=[h.name for h in PACKAGES])
def test_the_attachment_form_refuses_a_package_that_would_choke_its_reader(hostile, hostile_files, cppcc):
    """An attachment is stored, not parsed; a bombed, lying, truncated or mislabelled package is
    still refused (a workbook with a far cell or a long document is a valid file: it is kept)."""
    clerk = browser("cppcc-clerk")
    activity = Activity.objects.filter(unit=cppcc).first()
    page_url = reverse("ledger:activity-detail", args=[activity.pk])
    url = reverse("ledger:activity-attachment-add", args=[activity.pk])
    form = form_data(clerk.get(page_url).content.decode(), action=url)
    before = counts()
    response, page, seconds, children, grown = send(
        clerk, url, form, "file", hostile, hostile_files[hostile.name].read_bytes()
    )
    record("attachment", hostile, seconds, children)
    assert response.status_code == 200  # back on the activity's page, with the message
    lines = refused(page, hostile)
    assert len(lines) == 1 and any(said in lines[0] for said in hostile.says), lines
    check_costs(seconds, children, grown)
    assert counts() == before


def test_a_user_who_may_not_check_the_unit_is_refused_before_the_file_is_read(hostile_files, cppcc):
    """The 3-million-paragraph .docx from a login with no unit: the form says so, and no reader ran."""
    nobody = get_user_model().objects.create_user("nobody", password="x-unused-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(nobody)
    url = reverse("documents:factcheck")
    form = form_data(client.get(url).content.decode(), css_class="factcheck-form")
    hostile = next(h for h in HOSTILE if h.name == "三百万段.docx")
    response, page, seconds, children, _ = send(
        client,
        url,
        form,
        "draft",
        hostile,
        hostile_files[hostile.name].read_bytes(),
        unit="cppcc",
        period="2020H1",
    )
    assert response.status_code == 400
    assert children == [] and hostile.name not in page  # never read, so nothing to say about it
    assert in_time(*seconds)
