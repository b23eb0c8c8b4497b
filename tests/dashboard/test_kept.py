"""A city's dashboard, as its leader meets it: figures worked out by the background worker and kept,
a page that says when they were worked out, and that says so when the ledger has moved on since.

The county of the demo stands in for a city (``TAIZHANG_DASHBOARD_KEPT_UNITS = 1``); the tasks go
through django-tasks' database backend and are run by the real ``taizhang worker --once``.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from taizhang.ledger.models import ActivityKind
from taizhang.ledger.services import activity_create
from taizhang.org.models import Unit
from taizhang.reporting.models import DashboardSnapshot
from tests.html import table

pytestmark = pytest.mark.django_db

HOME = {"unit": "county", "year": 2020}
WAITING = "正在汇总清源县及下级单位的数据"
CHANGED = "此后台账有新的变动，正在重新汇总"


@pytest.fixture
def city(client, settings, worker_in_test_transaction):
    settings.TAIZHANG_DASHBOARD_KEPT_UNITS = 1
    client.force_login(get_user_model().objects.get(username="county-leader"))
    return client


def _work() -> None:
    call_command("worker", "--once", stdout=io.StringIO())


def _march_total(html: str) -> str:
    rows = table(html, "table-trend")
    total = next(row for row in rows if row[0] == "2020年合计")
    return total[rows[0].index("3月")]


def test_the_first_visit_waits_for_the_worker_then_shows_the_same_figures_as_a_county(city, settings):
    page = city.get(reverse("home"), HOME)
    html = page.content.decode()
    assert page.status_code == 200 and WAITING in html and 'id="chart-heatmap"' not in html
    assert 'hx-trigger="every 3s"' in html  # the page polls until the figures are in
    assert DBTaskResult.objects.filter(task_path="taizhang.dashboard.tasks.refresh_dashboard").count() == 1
    # polling while the worker has not run: nothing to swap, and no second task queued
    poll = city.get(reverse("home"), HOME, HTTP_HX_REQUEST="true")
    assert poll.status_code == 204
    assert DBTaskResult.objects.count() == 1

    _work()
    poll = city.get(reverse("home"), HOME, HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and poll["HX-Refresh"] == "true"
    html = city.get(reverse("home"), HOME).content.decode()
    assert "数据汇总于" in html and WAITING not in html and CHANGED not in html
    # the kept figures are exactly the ones a county's page works out while it is made
    settings.TAIZHANG_DASHBOARD_KEPT_UNITS = 10**6
    live = city.get(reverse("home"), HOME).content.decode()
    assert "数据汇总于" not in live
    for key in ("heatmap", "ranking", "trend", "reporting", "due"):
        assert table(html, f"table-{key}") == table(live, f"table-{key}"), key


def test_a_change_to_the_ledger_marks_the_kept_figures_until_the_worker_has_redone_them(city):
    city.get(reverse("home"), HOME)
    _work()
    before = city.get(reverse("home"), HOME).content.decode()
    assert CHANGED not in before

    office = Unit.objects.get(code="county-office")
    activity_create(
        unit=office,
        kind=ActivityKind.objects.get(code="central_group_study"),
        date=date(2020, 3, 16),
        topic="学习新修订的条例",
    )
    stale = city.get(reverse("home"), HOME).content.decode()
    assert CHANGED in stale
    assert _march_total(stale) == _march_total(before)  # still the figures worked out before
    city.get(reverse("home"), HOME)  # a second visit queues nothing more
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    _work()
    after = city.get(reverse("home"), HOME).content.decode()
    assert CHANGED not in after
    assert int(_march_total(after)) == int(_march_total(before)) + 1


def test_figures_of_another_day_are_redone(city):
    city.get(reverse("home"), HOME)
    _work()
    kept = DashboardSnapshot.objects.get()
    yesterday = date.today() - timedelta(days=1)  # as the worker would have left it yesterday
    kept.as_of, kept.figures["today"] = yesterday, yesterday.isoformat()
    kept.save()
    html = city.get(reverse("home"), HOME).content.decode()
    assert "今天的数据正在重新汇总" in html and CHANGED not in html
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_worker_that_never_comes_is_named_on_the_page(city):
    city.get(reverse("home"), HOME)
    DashboardSnapshot.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    html = city.get(reverse("home"), HOME).content.decode()
    assert WAITING in html and "taizhang worker" in html


def test_the_export_of_a_chart_waits_for_the_figures(city):
    response = city.get(reverse("dashboard-export", args=["ranking"]), HOME)
    assert response.status_code == 503 and "正在汇总" in response.content.decode()
    assert response["Retry-After"]
    _work()
    response = city.get(reverse("dashboard-export", args=["ranking"]), HOME)
    assert response.status_code == 200
