"""Every edit form, opened in a real browser and saved unchanged, keeps its record exactly as it was.

The forms are found from the URL configuration (every route named ``…-edit`` with a ``pk``), so a
record type added later is covered without touching this test. A browser cannot read a date written
in the locale's format (2020/02/18) in ``<input type="date">``: the field came up empty, and saving
the page unchanged was refused ("该字段是必填项") or silently wiped an optional date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang import demo
from taizhang.org.scope import scope
from tests.live import close_pages

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Edit-round-trip-2020"
CLERKS = ("cppcc-clerk", "school-clerk")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]


def edit_routes() -> list[tuple[str, type, str]]:
    """(URL name, model, unit field) of every edit form in the URL configuration."""
    found = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and (entry.name or "").endswith("-edit"):
                view = entry.callback
                owner = getattr(view, "__self__", view)  # RecordPages.edit_view, or a function view
                model = getattr(owner, "model", None)
                assert model is not None, f"{namespace}{entry.name}: the edit view does not name its model"
                assert "pk" in str(entry.pattern), f"{namespace}{entry.name}: an edit route without pk"
                found.append((f"{namespace}{entry.name}", model, getattr(owner, "unit_field", "unit")))

    walk(get_resolver().url_patterns, "")
    return found


def _filled(obj) -> int:
    return sum(getattr(obj, f.attname) not in (None, "") for f in obj._meta.concrete_fields)


def _state(obj) -> dict:
    """Everything a user could see change: the row's fields, its many-to-many links and its history."""
    model = type(obj)
    row = model.all_objects.filter(pk=obj.pk).values().get()
    links = {
        m.name: sorted(getattr(obj, m.name).values_list("pk", flat=True)) for m in model._meta.many_to_many
    }
    history = list(obj.history.values_list("history_id", flat=True))
    extra = {}
    if model._meta.label == "ledger.Activity":  # the activity form carries its attendance grid
        from taizhang.ledger.models import Attendance

        rows = Attendance.all_objects.filter(activity=obj)
        extra = {
            "attendance": sorted(rows.values_list("person_id", "status", "reason", "deleted", "version")),
            "attendance_history": Attendance.history.filter(activity_id=obj.pk).count(),
        }
    return {"row": row, "links": links, "history": history, **extra}


def _candidates(model, unit_field: str, user) -> list:
    rows = scope(model.objects.all(), user, unit_field=unit_field, write=True)
    return sorted(rows.order_by("pk")[:60], key=_filled, reverse=True)


def test_every_edit_form_saved_unchanged_keeps_its_record(
    chromium, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo.load(reset=True)  # live-server tests start from a flushed database
    users = get_user_model().objects.filter(username__in=CLERKS)
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    routes = edit_routes()
    assert len(routes) >= 11, routes

    checked, problems = [], []
    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        pages = {}
        for user in users:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(live_server.url + reverse("login"))
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            pages[user.username] = page
        for name, model, unit_field in routes:
            done = False
            for user in users:
                page = pages[user.username]
                for obj in _candidates(model, unit_field, user):
                    url = live_server.url + reverse(name, args=[obj.pk])
                    response = page.goto(url)
                    if response.status != 200 or page.locator("form [name=version]").count() == 0:
                        continue
                    before = _state(obj)
                    blank = [
                        field.get_attribute("name")
                        for field in page.locator("input[type=date]").all()
                        if getattr(obj, field.get_attribute("name"), None) and not field.input_value()
                    ]
                    page.locator("form:has([name=version]) [type=submit]").last.click()
                    page.wait_for_load_state()
                    after = _state(model.all_objects.get(pk=obj.pk))
                    errors = page.locator(".errorlist, .errors, .error").all_inner_texts()
                    if blank:
                        problems.append(f"{name} #{obj.pk}: the browser shows no date in {blank}")
                    if "/edit/" in page.url:
                        problems.append(f"{name} #{obj.pk}: saving unchanged was refused: {errors}")
                    if after != before:
                        problems.append(f"{name} #{obj.pk}: changed by an unchanged save")
                    checked.append(name)
                    done = True
                    break
                if done:
                    break
            if not done:
                problems.append(f"{name}: no record of this type in the demo that a clerk may edit")
    finally:
        close_pages(browser)
    assert problems == [], "\n".join(problems)
    assert sorted(checked) == sorted(name for name, _, _ in routes)


def test_the_reflection_form_opens_with_todays_date_and_keeps_it(
    chromium, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo.load(reset=True)
    member = get_user_model().objects.get(username="cppcc-member")
    member.set_password(PASSWORD)
    member.save()
    from taizhang.ledger.models import Reflection

    before = Reflection.objects.count()
    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(live_server.url + reverse("ledger:mine"))
        page.fill("input[name=username]", "cppcc-member")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(live_server.url + reverse("ledger:mine"))
        shown = page.locator("form input[name=date]").input_value()
        assert shown, "the reflection form's date is empty in the browser"
        form = page.locator("form:has(input[name=date])")
        for field in form.locator("input[type=text], textarea").all():
            if not field.input_value():
                field.fill("学习贯彻会议精神的体会，结合岗位谈认识。")
        form.locator("[type=submit]").click()
        page.wait_for_load_state()
    finally:
        close_pages(browser)
    assert Reflection.objects.count() == before + 1
    assert Reflection.objects.latest("pk").date == date.fromisoformat(shown)
