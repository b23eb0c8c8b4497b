"""Every page a demo role reaches passes axe-core (from npm) with no serious or critical violation.

The pages are found as a person finds them: by following the links each role is offered from the
home page (the crawl of tests/test_crawl.py, one page per route). Each page is opened in Debian's
Chromium and checked by axe-core's WCAG 2 A/AA rules; a violation is reported with the page, the rule
and the first element it names, so it can be fixed where it is.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from taizhang import demo
from tests.live import close_pages, log_in
from tests.test_crawl import crawl

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Axe-check-2020"
ROLES = ("county-leader", "cppcc-clerk", "cppcc-leader", "cppcc-member", "school-clerk")
SERIOUS = ("serious", "critical")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make assets runs npm ci)"),
]


def _pages_of(user) -> list[str]:
    """One URL per route this person reaches by links, pages only (no downloads, no forms' targets)."""
    client = Client()
    client.force_login(user)
    result = crawl(client, pdf_limit=0)
    by_route: dict[str, str] = {}
    for url in sorted(result["visited_pages"]):
        by_route.setdefault(result["visited_pages"][url], url)
    return sorted(by_route.values())


def test_every_page_passes_axe(chromium, live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo.load(reset=True)  # live-server tests start from a flushed database
    users = list(get_user_model().objects.filter(username__in=ROLES).order_by("username"))
    assert {user.username for user in users} == set(ROLES), "a demo login is missing"
    axe_source = AXE.read_text(encoding="utf-8")
    violations: list[str] = []
    checked = 0
    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        for user in users:
            user.set_password(PASSWORD)
            user.save()
            pages = _pages_of(user)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            log_in(page, live_server.url, user.username, PASSWORD)
            page.wait_for_load_state()
            for url in pages:
                response = page.goto(live_server.url + url)
                if response is None or response.status != 200:
                    continue
                if "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                page.evaluate(axe_source)  # through the DevTools protocol: the page's CSP stays as is
                found = page.evaluate(
                    """async () => {
                        const result = await axe.run(document, {
                            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                        });
                        return result.violations.map(v => ({
                            id: v.id, impact: v.impact, help: v.help,
                            target: v.nodes.length ? v.nodes[0].target.join(' ') : '',
                            count: v.nodes.length,
                        }));
                    }"""
                )
                checked += 1
                for item in found:
                    if item["impact"] in SERIOUS:
                        path = urlsplit(url).path
                        violations.append(
                            f"{user.username} {path}: {item['id']} ({item['impact']}, {item['count']}×) "
                            f"{item['help']} — {item['target']}"
                        )
            page.close()
    finally:
        close_pages(browser)
    assert checked >= 20, f"only {checked} pages were checked"
    assert violations == [], "\n".join(sorted(set(violations)))
