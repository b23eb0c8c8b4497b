"""Fixtures every test module shares.

The demo organisations are loaded once per test session (into the test database that pytest-django
creates, SQLite or PostgreSQL); each test runs in a transaction that is rolled back, so tests may
change the demo freely.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from taizhang import demo
from taizhang.org.models import Unit
from tests.live import chromium, demo_server  # noqa: F401  (session fixtures: one browser, one server)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# The property tests assert what the code computes, not how fast: on two shared cores under a full
# suite an example can take longer than Hypothesis's defaults allow (seen failing the too-slow check
# while other work ran), so the timing checks are off; every other health check stays.
hypothesis_settings.register_profile("taizhang", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("taizhang")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load(reset=True)


@pytest.fixture(scope="session", autouse=True)
def results_in_memory():
    """Results are kept in this process's memory during the tests (``core.stamps``), not in var/: two
    pytest-xdist workers never read each other's, and the tests of each backend choose their own."""
    from django.test.utils import override_settings

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        TAIZHANG_RESULTS_CACHE="default",
    ):
        yield


@pytest.fixture(autouse=True)
def results_forgotten():
    """Each test rolls its writes back, which moves no generation: nothing kept by the test before
    it may be served to it (``core.stamps``)."""
    from django.core.cache import caches
    from django.db import connections

    from taizhang.core import stamps

    caches["default"].clear()
    connections["default"].__dict__.pop(stamps.PENDING, None)
    yield


@pytest.fixture
def cppcc(db) -> Unit:
    return Unit.objects.get(code="cppcc")


@pytest.fixture
def school(db) -> Unit:
    return Unit.objects.get(code="school")


def _login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, db):
    """Logged in as ``demo``, the deployment-wide admin."""
    return _login(client, "demo")


@pytest.fixture
def cppcc_clerk(client, db):
    return _login(client, "cppcc-clerk")


@pytest.fixture
def school_clerk(client, db):
    return _login(client, "school-clerk")


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """The two seed documents, read from ../shared/seeds (never copied into the project)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def worker_in_test_transaction(db, monkeypatch):
    """Lets ``taizhang worker`` run inside the test's rolled-back transaction.

    django-tasks' worker loop calls ``close_old_connections()`` between tasks, which closes a
    connection found inside a transaction, and the test's transaction with it (on PostgreSQL; an
    in-memory SQLite database ignores it). A real worker is never inside one; like Django's own
    test client (which unhooks the same call from its requests), the test skips that connection.
    """
    from django.db import connections
    from django_tasks.backends.database.management.commands import db_worker

    def close_old_connections(**kwargs):
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close_if_unusable_or_obsolete()

    monkeypatch.setattr(db_worker, "close_old_connections", close_old_connections)


def _flushes(item) -> bool:
    """Whether a test empties the database when it ends (a transactional test: live servers, browsers)."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


def pytest_addoption(parser):
    parser.addoption(
        "--flushing",
        choices=("all", "skip", "only"),
        default="all",
        help="the transactional tests (they empty the database when they end): all (default), "
        "skip them, or only them",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """``make test`` runs the suite in two pytest-xdist processes without the transactional tests,
    then those alone in one process. Such a test flushes the database when it ends, demo included;
    one process runs them after every other test (pytest-django orders them so), but a pytest-xdist
    worker takes files in its own order, and a test after a flush found no demo."""
    mode = config.getoption("flushing")
    if mode == "all":
        return
    keep = [item for item in items if _flushes(item) == (mode == "only")]
    dropped = [item for item in items if _flushes(item) != (mode == "only")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep
