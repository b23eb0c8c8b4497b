"""Every hostile file through every command that reads one, each a real ``taizhang`` process with a
memory cap; then the far-cell workbook at a live ``taizhang serve``; then a stuck request under the
gunicorn worker ``taizhang serve`` uses.

A command must exit 2 with one line ``错误：…`` naming the file and the limit (a file whose rows are
wrong: the first 200 problems by cell, how many more of which kinds, then that line), within 10 s,
its peak resident memory (with its reader child's) under 500 MB, nothing written to its database
and no output file left. The server must log no abort, no killed worker and no traceback, and
answer afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.budget import MEMORY, SECONDS, crowded, in_time
from tests.hostile.files import HOSTILE, Hostile
from tests.live import TAIZHANG, Browser, environment, free_port, load_demo, serving, taizhang

pytestmark = pytest.mark.slow
CAP = 3 << 30  # address space a command may have at all (its reader child gets less: core.sandbox)

COUNTS = """
from django.apps import apps
for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
    if model.__module__.startswith("taizhang.") and not model._meta.proxy:
        print(model._meta.label, model._default_manager.count())
"""


# extract and factcheck read every hostile document; fill and import-summary read the same way
# (core.uploads.read_document, check_document) and get one of each kind of limit, to keep the
# suite's time: a package bomb, too many paragraphs, too many characters, a file of another type.
SOME_DOCUMENTS = {"三百万段.docx", "十五万段.docx", "三百万字.txt", "其实是PDF.docx"}


def commands(hostile: Hostile, path: Path, out: Path) -> dict[str, list[str]]:
    """The commands that read a file of this kind, by name, with their arguments."""
    unit = ["--unit", "cppcc"]
    if hostile.kind == "sheet":
        return {"import": ["import", str(path), *unit]}
    if hostile.kind == "document":
        every = {
            "extract": ["extract", str(path)],
            "factcheck": ["factcheck", str(path), *unit, "--period", "2020H1"],
        }
        if hostile.name not in SOME_DOCUMENTS:
            return every
        return {
            **every,
            "fill": ["fill", str(path), *unit, "--period", "2020H1", "-o", str(out.with_suffix(path.suffix))],
            "import-summary": ["import-summary", str(path), *unit, "--period", "2019"],
        }
    if hostile.kind == "framework":
        return {"framework load": ["framework", "load", str(path), "--slug", "hostile"]}
    return {"restore": ["restore", str(path)]}


@dataclass
class Run:
    code: int
    stderr: str
    stdout: str
    seconds: float
    peak_bytes: int
    cpu_seconds: float


def capped(env: dict[str, str], args: list[str], scratch: Path) -> Run:
    """One command under the memory cap; its peak resident set (its own or its reader child's, the
    larger: wait4 reports both) and wall seconds."""
    err, out = scratch / f"{uuid.uuid4().hex}.err", scratch / f"{uuid.uuid4().hex}.out"

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    with err.open("wb") as stderr, out.open("wb") as stdout:
        started = time.monotonic()
        process = subprocess.Popen(
            [str(TAIZHANG), *args], env=env, stdout=stdout, stderr=stderr, preexec_fn=cap
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        code=process.returncode,
        stderr=err.read_text(errors="replace"),
        stdout=out.read_text(errors="replace"),
        seconds=seconds,
        peak_bytes=usage.ru_maxrss * 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """A database of its own with the demo in it, shared by this module's commands and server."""
    return load_demo(environment(tmp_path_factory.mktemp("hostile-var"), suffix="hostile"))


def _counts(env: dict[str, str]) -> str:
    done = taizhang(env, "shell", "-c", COUNTS)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def runs(env, hostile_files, tmp_path_factory) -> dict[tuple[str, str], Run]:
    """Every (file, command) run, two at a time; the database's rows counted before and after."""
    scratch = tmp_path_factory.mktemp("hostile-runs")
    before = _counts(env)
    jobs = {
        (hostile.name, command): args
        for hostile in HOSTILE
        for command, args in commands(hostile, hostile_files[hostile.name], scratch / "filled").items()
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(capped, env, args, scratch) for key, args in jobs.items()}
        done = {key: future.result() for key, future in futures.items()}
    assert _counts(env) == before, "a refused file wrote something"
    assert not list(scratch.glob("filled*")), "fill left an output file"
    if os.environ.get("HOSTILE_FIGURES"):  # what each refusal cost, for the record
        figures = {
            f"{command} {name}": {
                "seconds": round(r.seconds, 2),
                "cpu_seconds": round(r.cpu_seconds, 2),
                "peak_mb": r.peak_bytes >> 20,
            }
            for (name, command), r in done.items()
        }
        Path(os.environ["HOSTILE_FIGURES"]).write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    return done


CASES = [(h, command) for h in HOSTILE for command in commands(h, Path("x"), Path("y"))]


@pytest.mark.parametrize(("hostile", "command"), CASES, ids=[f"{c}:{h.name}" for h, c in CASES])
def test_the_command_refuses_it_in_one_line(hostile, command, runs):
    run = runs[(hostile.name, command)]
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == 2, run.stderr[-2000:]
    assert lines and lines[-1].startswith("错误："), lines[-5:]
    assert hostile.name in lines[-1]
    if hostile.problems:  # the first 200 by cell, then one line on the rest, then the refusal
        assert len(lines) <= 202 and any(said in run.stderr for said in hostile.says), lines[-3:]
    else:
        assert len(lines) == 1, lines[:5]
        assert any(said in lines[0] for said in hostile.says), lines
    assert "Traceback" not in run.stderr
    assert in_time(run.seconds, run.cpu_seconds), f"{run.seconds:.1f} s, {run.cpu_seconds:.1f} s CPU"
    assert run.peak_bytes < MEMORY, f"{run.peak_bytes >> 20} MB"


# -- a live server ---------------------------------------------------------------------------------


def post_file(browser: Browser, path: str, fields: dict[str, str], field: str, name: str, data: bytes):
    """A multipart POST as a browser's form sends it; (status, page)."""
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(browser.base + path, data=b"".join(parts))
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Referer", browser.base + path)
    try:
        with browser.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


WORKER_TROUBLE = re.compile(
    r"SIGABRT|SIGKILL|SIGSEGV|WORKER TIMEOUT|out of memory|Traceback|Booting worker .* exiting"
)


def test_a_live_server_refuses_the_far_cell_workbook_and_keeps_its_workers(env, hostile_files, tmp_path):
    log = tmp_path / "serve.log"
    with serving(env, log, workers=1, threads=2) as port:
        clerk = Browser(port)
        clerk.login("cppcc-clerk", "taizhang-demo")
        status, page, _ = clerk.open("/ledger/activities/import/?unit=cppcc")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        for name in ("远端单元格.xlsx", "远端单元格3000.xlsx", "一百二十万行.xlsx"):
            started = time.monotonic()
            status, page = post_file(
                clerk,
                "/ledger/activities/import/",
                {"csrfmiddlewaretoken": token, "unit": "cppcc"},
                "file",
                name,
                hostile_files[name].read_bytes(),
            )
            assert status == 400 and f"“{name}”" in page, page[-1500:]
            assert time.monotonic() - started < SECONDS * crowded()
        assert clerk.open("/healthz")[0] == 200
        assert clerk.open("/ledger/activities/import/?unit=cppcc")[0] == 200
    assert not WORKER_TROUBLE.search(log.read_text()), log.read_text()[-3000:]


STUCK_APP = """
import time
def application(environ, start_response):
    if environ["PATH_INFO"] == "/stuck":
        time.sleep(120)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def test_a_request_stuck_past_the_timeout_takes_its_worker_down_and_the_server_goes_on(tmp_path):
    """gunicorn's gthread worker keeps its heartbeat while a request thread hangs; ``taizhang
    serve``'s worker (core.server) stops it, so the arbiter replaces the worker after its timeout."""
    (tmp_path / "stuck_app.py").write_text(STUCK_APP)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--timeout",
                "2",
                "--worker-class",
                "taizhang.core.server.TimedThreadWorker",
                "stuck_app:application",
            ],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/ok")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises((http.client.HTTPException, OSError)):
            _get(port, "/stuck", timeout=30)  # the worker is killed under it: the connection drops
        assert time.monotonic() - started < 15
        deadline = time.monotonic() + 20
        while True:  # a new worker answers
            try:
                if _get(port, "/ok")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # a stuck worker's thread would hold a graceful stop
        server.wait(timeout=30)
    assert "WORKER TIMEOUT" in log.read_text()


def _get(port: int, path: str, timeout: float = 5) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
