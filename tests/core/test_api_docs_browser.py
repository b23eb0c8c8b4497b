"""The API documentation page and the browsable API, opened in Debian's Chromium as a clerk would.

Both pages must work under the site's content security policy: the browser reports every refused
inline style or script in its console ("Refused to … because it violates the following Content
Security Policy directive"), so a page that only looks right but breaks the policy fails here.
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from tests.live import BROWSER, close_pages, demo_login

PASSWORD = "Api-docs-2020"

pytestmark = BROWSER


def test_the_docs_and_the_browsable_api_render_without_breaking_the_csp(
    chromium, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    clerk = demo_login("cppcc-clerk", PASSWORD)

    browser = chromium  # the session's one Chromium (tests/live.py)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.on("pageerror", lambda error: console.append(f"page error: {error}"))

        # The docs are behind the login: opening them sends the visitor to the login page first.
        page.goto(live_server.url + reverse("api-docs"))
        assert "/login/" in page.url
        page.fill("input[name=username]", clerk.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

        # The menu leads to the docs; Swagger UI then lists the operations of the schema.
        page.goto(live_server.url + reverse("home"))
        page.locator(f"nav a[href='{reverse('api-docs')}']").first.dispatch_event("click")
        page.wait_for_url("**/api/docs/")
        page.locator(".opblock").first.wait_for(timeout=20_000)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/activities/" in text for text in operations), operations[:10]
        assert page.locator(".info .title").inner_text().startswith("台账 API")
        page.locator(".opblock-summary-path", has_text="/api/units/").first.click()
        page.locator(".opblock-body").first.wait_for()
        page.screenshot(path=_screenshot("api-docs.png"))
        docs_console = list(console)

        console.clear()
        page.goto(live_server.url + "/api/activities/")
        assert page.locator(".response-info").count() == 1  # DRF's browsable page, not JSON
        page.wait_for_load_state("networkidle")
        api_console = list(console)
    finally:
        close_pages(browser)

    def violations(lines: list[str]) -> list[str]:
        return [line for line in lines if "Content Security Policy" in line or line.startswith("page error")]

    assert violations(docs_console) == []
    assert violations(api_console) == []


def _screenshot(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


def test_the_schema_downloads_under_a_well_formed_file_name(admin_client):
    response = admin_client.get(reverse("api-schema"))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    header.encode("latin-1")  # a header that is not Latin-1 is what browsers garbled
    # RFC 6266: the Chinese name percent-encoded as UTF-8, which browsers decode back to 台账 API.yaml.
    assert header == "inline; filename*=utf-8''%E5%8F%B0%E8%B4%A6%20API.yaml"


def test_the_docs_are_behind_the_login(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
