"""Crawling the site as each demo role, following only the links the pages offer.

What a person would notice: a link that ends in an error (5xx), in a refusal (403/404: the menu
offered something this role may not do), or in a page that says there is nothing for them to do
("您没有……"). And, for a unit's clerk, that the documents they hand in download as real files:
an .xlsx, a .docx and (where LibreOffice is installed) a .pdf, and that a page offers to add a person.

The crawl visits each route at most a few times (query strings vary the same page), so it stays quick.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve

ROLES = (
    "demo",
    "county-leader",
    "cppcc-clerk",
    "cppcc-leader",
    "cppcc-member",
    "school-clerk",
    "school-leader",
)
CLERKS = ("cppcc-clerk", "school-clerk")
PER_ROUTE = 3  # pages of one route visited (different records or query strings)
NOTHING_TO_DO = re.compile(r"您没有[^<。]{0,30}(单位|权限|可)")
SKIPPED = ("/logout/", "/admin/", "/static/", "/i18n/")
DOWNLOAD_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/pdf": "pdf",
    "application/zip": "zip",
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("#", "mailto:", "javascript:", "tel:")):
                self.links.append(href)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _opens(kind: str, content: bytes) -> bool:
    """The file is what its type says: a reader would open it."""
    if kind == "pdf":
        return content.startswith(b"%PDF")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    if kind == "xlsx":
        return "xl/workbook.xml" in names
    if kind == "docx":
        return "word/document.xml" in names
    return bool(names)


def crawl(client, *, pdf_limit: int = 1) -> dict:
    """Follow every offered link from the home page; what each role met."""
    seen: set[str] = set()
    per_route: Counter = Counter()
    queue = deque([("/", "(start)")])
    problems: list[str] = []
    downloads: Counter = Counter()
    routes: set[str] = set()
    pages: dict[str, str] = {}  # the HTML pages reached: URL → route
    while queue:
        url, found_on = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc or url in seen or parts.path.startswith(SKIPPED):
            continue
        route = _route(parts.path)
        if route is None:
            problems.append(f"{found_on} → {url}: the link leads nowhere (no such route)")
            continue
        is_pdf = parts.path.endswith(".pdf") or "format=pdf" in parts.query
        if per_route[route] >= PER_ROUTE or (is_pdf and downloads["pdf"] >= pdf_limit):
            continue
        seen.add(url)
        per_route[route] += 1
        routes.add(route)
        response = client.get(url)
        status = response.status_code
        if status in (301, 302):
            queue.appendleft((urljoin(url, response["Location"]), found_on))
            continue
        if status >= 500:
            problems.append(f"{found_on} → {url}: {status}")
            continue
        if status in (403, 404, 400):
            problems.append(f"{found_on} → {url}: {status} (a link the page offered)")
            continue
        content_type = response.get("Content-Type", "").split(";")[0]
        kind = DOWNLOAD_TYPES.get(content_type)
        if kind:
            content = b"".join(response.streaming_content) if response.streaming else response.content
            if _opens(kind, content):
                downloads[kind] += 1
            else:
                problems.append(f"{found_on} → {url}: a .{kind} that does not open")
            continue
        if content_type != "text/html":
            continue
        text = response.content.decode()
        pages[url] = route
        if NOTHING_TO_DO.search(text):
            problems.append(f"{found_on} → {url}: the page says there is nothing to do")
        parser = _Links()
        parser.feed(text)
        for href in parser.links:
            queue.append((urljoin(url, href), url))
    return {
        "problems": problems,
        "downloads": downloads,
        "routes": routes,
        "pages": len(seen),
        "visited_pages": pages,
    }


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES)
def test_every_offered_link_works_for(client, db, username):
    user = get_user_model().objects.filter(username=username).first()
    assert user is not None, f"the demo has no {username} login"
    client.force_login(user)
    result = crawl(client, pdf_limit=1 if username in CLERKS else 0)
    assert result["pages"] > 5, f"{username} reached only {result['pages']} pages"
    assert result["problems"] == [], "\n".join(result["problems"])
    if username not in CLERKS:
        return
    downloads = dict(result["downloads"])
    assert downloads.get("xlsx"), f"{username}: no .xlsx offered ({downloads})"
    assert downloads.get("docx"), f"{username}: no .docx offered ({downloads})"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        assert downloads.get("pdf"), f"{username}: no .pdf offered ({downloads})"
    org_routes = sorted(route for route in result["routes"] if route.startswith("org:"))
    assert any(route.endswith(("person-new", "person-add", "person-create")) for route in org_routes), (
        f"{username}: no page to add a person among {org_routes}"
    )
