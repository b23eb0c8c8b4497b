"""`make run` and the `taizhang` command as a person uses them: real processes, a real HTTP server.

These run against a fresh SQLite database in a temporary directory (never the test database),
so they behave the same on the SQLite and the PostgreSQL pass of CI.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.ledger.test_queries import seed_counts

ROOT = Path(__file__).resolve().parents[1]
TAIZHANG = Path(sys.executable).with_name("taizhang")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment["TAIZHANG_VAR"] = str(var)
    return environment


def run(env, *args, check=True):
    result = subprocess.run([str(TAIZHANG), *args], env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"taizhang {' '.join(args)} failed:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def loaded(env):
    run(env, "migrate", "--noinput", "-v", "0")
    run(env, "demo")
    return env


def test_ledger_counts_print_the_seeds_figures(loaded, seed_texts):
    out = run(loaded, "ledger", "counts", "--unit", "cppcc", "--period", "2020H1", "--json").stdout
    counts = json.loads(out)
    expected = seed_counts(next(t for t in seed_texts.values() if "政協機關" in t))
    assert {code: counts[code] for code in expected} == expected
    wider = json.loads(
        run(
            loaded, "ledger", "counts", "--unit", "cppcc", "--period", "2020H1", "--json", "--with-children"
        ).stdout
    )
    assert wider["collective_study"] > counts["collective_study"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "nowhere", "--period", "2020H1"], "没有代码为“nowhere”的单位"),
        (["--unit", "cppcc", "--period", "2020H3"], "期间不存在"),
        (["--unit", "cppcc", "--period", "last year"], "期间格式不正确"),
    ],
)
def test_bad_input_exits_2_with_one_line(loaded, args, message):
    result = run(loaded, "ledger", "counts", *args, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("错误：")


def test_demo_is_idempotent_and_resets(loaded):
    assert "已存在" in run(loaded, "demo").stdout
    assert "已载入县政协机关" in run(loaded, "demo", "--reset").stdout
    counts = json.loads(
        run(loaded, "ledger", "counts", "--unit", "cppcc", "--period", "2020H1", "--json").stdout
    )
    assert counts["central_group_study"] == 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_the_demo_over_http(env, tmp_path):
    port = _free_port()
    log = tmp_path / "make-run.log"
    process = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        output = _wait_until_up(process, base, log)
        assert f"http://127.0.0.1:{port}/" in output and "demo" in output and "taizhang-demo" in output

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode(
            {"username": "demo", "password": "taizhang-demo", "csrfmiddlewaretoken": token}
        )
        request = urllib.request.Request(
            f"{base}/login/", data=form.encode(), headers={"Referer": f"{base}/login/"}
        )
        opener.open(request).read()

        page = opener.open(f"{base}/org/units/cppcc/?period=2020H1").read().decode()
        assert "县政协机关" in page and 'data-kind="central_group_study">4<' in page
        script = opener.open(f"{base}/static/vendor/echarts/echarts.min.js")
        assert script.status == 200 and int(script.headers["Content-Length"]) > 100_000
        api = json.loads(opener.open(f"{base}/api/units/cppcc/").read())
        assert api["name"] == "县政协机关"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_until_up(process: subprocess.Popen, base: str, log: Path, timeout: float = 240) -> str:
    """Wait for the server to answer; return what `make run` printed by then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("make run exited early:\n" + log.read_text())
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                if response.status == 200:
                    return log.read_text()
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the server did not answer in time:\n" + log.read_text())
