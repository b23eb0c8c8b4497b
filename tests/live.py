"""Real processes for tests that need them: ``taizhang`` commands and ``taizhang serve`` in subprocesses,
each against a database of its own (a fresh SQLite file, or a fresh PostgreSQL database on the server
``DATABASE_URL`` names), and small HTTP clients that talk to them over loopback.
"""

from __future__ import annotations

import atexit
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TAIZHANG = Path(sys.executable).with_name("taizhang")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def _admin_connection(url: str):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
    )


def postgres_url(suffix: str) -> str:
    """``DATABASE_URL`` with its database renamed ``<name>_<suffix>``: this test's own database
    (and this pytest-xdist worker's: two workers never share one)."""
    base, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{base}/{name.split('?')[0]}_{suffix}{f'_{worker}' if worker else ''}"


def recreate_postgres_database(url: str) -> str:
    """Drop and create the database ``url`` names, empty; returns ``url``. It is dropped again when
    the test run ends (the server is shared)."""
    name = url.rsplit("/", 1)[1]
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    if not _created:
        atexit.register(lambda: [drop_postgres_database(u) for u in _created])
    if url not in _created:
        _created.append(url)
    return url


_created: list[str] = []


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(var: Path, *, suffix: str) -> dict[str, str]:
    """The environment of a process with its own ``TAIZHANG_VAR`` and database (created empty)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["TAIZHANG_VAR"] = str(var)
    if on_postgres():
        env["DATABASE_URL"] = recreate_postgres_database(postgres_url(suffix))
    else:
        env.pop("DATABASE_URL", None)
    return env


def taizhang(env: dict[str, str], *args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """Run one ``taizhang`` command to its end and return what it did."""
    return subprocess.run(
        [str(TAIZHANG), *args], env=env, capture_output=True, text=True, timeout=timeout, **kwargs
    )


def load_demo(env: dict[str, str]) -> dict[str, str]:
    """Migrate the database ``env`` names and load the demo into it; returns ``env``."""
    for args in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        done = taizhang(env, *args)
        assert done.returncode == 0, done.stderr
    return env


@contextmanager
def serving(
    env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 2, extra: tuple[str, ...] = ()
) -> Iterator[int]:
    """``taizhang serve`` (gunicorn) on a free loopback port until the block ends; yields the port.
    ``extra``: more of serve's options (the benchmarks' worker class)."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(TAIZHANG),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                *extra,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    if call(port, "GET", "/login/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.3)
            yield port
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def call(port: int, method: str, path: str, body=None, token: str | None = None):
    """One JSON request; returns (status, decoded body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw.decode(errors="replace")
    return response.status, data


class Browser:
    """A user at a browser: keeps cookies, logs in through the login form, reads pages as text."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.open("/login/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page, _ = self.open(
            "/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        assert status == 200 and 'name="password"' not in page, page[:500]


def log_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form in a Playwright page, as a person does."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


# -- browsers ---------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
# A browser test file's marks (its ``pytestmark``): slow, in the browser pass, skipped with the reason
# where Debian's Chromium is not installed.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"
    ),
]


def signed_in_page(browser, base_url: str, username: str, password: str, width: int = 1366):
    """A new page of the session's Chromium, signed in through the login form; the list its console
    errors are gathered in (a page that logs one has a bug a person would not see)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base_url, username, password)
    page.wait_for_load_state("networkidle")
    return page, errors


def demo_login(username: str, password: str):
    """The demo loaded afresh (a live-server test starts from a flushed database) and one of its
    logins given a password the test signs in with; the login's user."""
    from django.contrib.auth import get_user_model

    from taizhang import demo

    demo.load(reset=True)
    user = get_user_model().objects.get(username=username)
    user.set_password(password)
    user.save()
    return user


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright, launched once for the session: each browser test opens
    its own contexts (a context per width and language costs milliseconds, a launch a second).

    Playwright's sync API keeps an event loop in this thread from here on, and Django refuses
    database calls from a thread with a running loop; the tests touch the database only outside
    Playwright's calls, so the check is switched off for the rest of the session.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """One ``taizhang serve`` of the demo, on a database of its own, for the whole session: the
    browser tests of the everyday tasks share it (each writes records of its own, named for its
    width and language, so they never meet). ``TAIZHANG_TEST_SERVER=http://…`` uses a server
    already running instead (a developer's own demo)."""
    given = os.environ.get("TAIZHANG_TEST_SERVER")
    if given:
        yield given.rstrip("/")
        return
    var = tmp_path_factory.mktemp("demo-server")
    env = load_demo(environment(var, suffix="browser"))
    with serving(env, var / "serve.log", workers=2, threads=4) as port:
        yield f"http://127.0.0.1:{port}"


def close_pages(browser) -> None:
    """Close every context a test opened on the session's browser (the browser itself stays)."""
    for context in list(browser.contexts):
        context.close()
