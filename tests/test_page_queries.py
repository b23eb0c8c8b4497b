"""Queries per page: a bounded number whatever the size of the unit, first view or later ones.

Every page of issue 21's table (and the to-do list and a leader's dashboard), asked for as its user
asks: the first view after a change works the unit's results out (``cold``: the cache emptied), the
next ones read them (``warm``: ``core.stamps``). The counts are pinned, and a unit's first view asks
the same number of queries after thirty more activities with their attendance went into its tree.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taizhang.ledger.models import ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.models import Unit
from taizhang.org.queries import organisation_people
from tests.records import record_study

# page: (login, address, most queries on a first view, most on a later one), on SQLite and PostgreSQL
# (PostgreSQL's activity list asks one more). The requirements, pins and frameworks are read whole on
# a first view and kept (rules.counting): the dashboard's first view asks two more, every later one fewer.
PAGES = {
    "password form": ("cppcc-clerk", "/account/password/", 5, 5),
    "unit page": ("cppcc-clerk", "/org/units/cppcc/?period=2020H1", 41, 7),
    "summary preview": ("cppcc-clerk", "/documents/summary/cppcc/2020H1/", 59, 8),
    "matrix": ("cppcc-clerk", "/rules/?unit=cppcc&period=2020H1", 28, 6),
    "activity list": ("cppcc-clerk", "/ledger/activities/?unit=cppcc", 17, 8),
    "to-do list": ("cppcc-clerk", "/rules/todo/?unit=cppcc", 31, 7),
    "mine (member)": ("cppcc-member", "/ledger/mine/", 8, 8),
    "dashboard": ("county-leader", "/", 38, 9),
}


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def counted(client: Client, url: str) -> tuple[int, int]:
    """Queries of a first view (nothing kept) and of the view after it, by a login that has opened
    the page before (the unit it chose is in its session already)."""
    assert client.get(url).status_code == 200
    caches["default"].clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_are_pinned(page, db):
    username, url, most_cold, most_warm = PAGES[page]
    cold, warm = counted(client_for(username), url)
    assert cold <= most_cold, f"{page}: {cold} queries on a first view"
    assert warm <= most_warm, f"{page}: {warm} queries on a later view"


def test_queries_do_not_grow_with_the_unit(cppcc, django_capture_on_commit_callbacks):
    """Thirty more activities, with five attendees each, across the organ and its offices: the same
    number of queries on every page of the unit."""
    clients = {user: client_for(user) for user, *_ in PAGES.values()}
    before = {page: counted(clients[user], url) for page, (user, url, *_) in PAGES.items()}
    units = [cppcc, *Unit.objects.filter(parent=cppcc)]
    people = list(organisation_people(cppcc)[:5])
    kinds = list(ActivityKind.objects.filter(code__in=["collective_study", "seminar", "central_group_study"]))
    # working days of March and April 2020 (Qingming, 4–6 April, left out)
    days = [
        day
        for day in (date(2020, 3, 2) + timedelta(days=n) for n in range(60))
        if day.weekday() < 5 and not date(2020, 4, 4) <= day <= date(2020, 4, 6)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            activity_create(
                unit=units[i % len(units)],
                kind=kinds[i % len(kinds)],
                date=days[i],
                topic=f"学习 {i}",
                minutes="记录",
                attendance=[AttendanceEntry(person=p, status="present") for p in people],
            )
    after = {page: counted(clients[user], url) for page, (user, url, *_) in PAGES.items()}
    assert after == before


# page: most queries on its first view after an activity was recorded in the unit, in a clerk's loop
# (bench/load.py: the unit page, the matrix, the summary preview). Their results are worked out again;
# what a write in the unit cannot change (the kinds, the requirements, the areas, the tree of units)
# is read from what is kept (``core.stamps``).
AFTER_A_WRITE = {"unit page": 14, "matrix": 8, "summary preview": 12}


def test_queries_after_a_write_are_pinned(cppcc, django_capture_on_commit_callbacks):
    client = client_for("cppcc-clerk")
    for page in AFTER_A_WRITE:
        assert client.get(PAGES[page][1]).status_code == 200
    record_study(client, cppcc, django_capture_on_commit_callbacks)  # as the clerk's app records it
    for page, most in AFTER_A_WRITE.items():
        with CaptureQueriesContext(connection) as after:
            assert client.get(PAGES[page][1]).status_code == 200
        assert len(after) <= most, f"{page}: {len(after)} queries on its first view after a write"
