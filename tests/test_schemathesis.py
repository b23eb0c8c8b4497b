"""Schemathesis drives the production server from the OpenAPI schema: no answer is a 5xx, every answer
is one the schema documents (status, content type, body).

The server is ``taizhang serve`` over a fresh database of its own with the demo loaded (a new SQLite
file, or a new PostgreSQL database ``<DATABASE_URL's name>_schemathesis`` on the PostgreSQL pass,
dropped afterwards): Schemathesis creates, edits and deletes records at random, and never touches
the test database. It logs in as ``demo`` through ``POST /api/token/``; ``DELETE /api/token/`` is
left out, as revoking the run's own token would turn every later request into a 403.

Random strings rarely name a unit or a record, so the run is given dictionaries of what the demo
holds (unit codes, periods, people, each record type's ids) to draw from half of the time: edits and
deletes then reach real records and the services behind them, not only the 404 of a missing id.

Bounded: the coverage phase's cases (derived from the schema) and ``TAIZHANG_SCHEMATHESIS_EXAMPLES``
random cases per operation (default 10): about 8,000 requests, two to three minutes on two shared
cores; a fixed seed (``TAIZHANG_SCHEMATHESIS_SEED``) so that a failure replays.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.live import environment, load_demo, serving

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
LEFT_OUT = ["DELETE /api/token/"]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = int(os.environ.get("TAIZHANG_SCHEMATHESIS_EXAMPLES", "10"))
SEED = int(os.environ.get("TAIZHANG_SCHEMATHESIS_SEED", "2020"))
# Request fields that name a person (by id), and the record types other fields name.
PERSON_FIELDS = ("author", "owner", "administrator", "host", "recorder", "donor", "participants[*]")
RECORD_FIELDS = {"submission": "submissions", "campaign": "campaigns", "assessments[*]": "activities"}
pytestmark = pytest.mark.slow


def _get(base: str, token: str, path: str):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _all(base: str, token: str, path: str) -> list[dict]:
    rows, page = [], _get(base, token, path)
    while True:
        rows += page["results"]
        if not page["next"]:
            return rows
        page = _get(base, token, page["next"].removeprefix(base))


def _token(base: str) -> str:
    body = json.dumps({"username": "demo", "password": "taizhang-demo"}).encode()
    request = urllib.request.Request(
        f"{base}/api/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["token"]


def _config(base: str, token: str, schema: dict) -> str:
    """schemathesis.toml: the demo's values as dictionaries, bound to the parameters that take them."""
    records = sorted(
        {m[1] for path in schema["paths"] if (m := re.fullmatch(r"/api/([\w-]+)/\{id\}/", path))}
    )
    dictionaries = {name: [r["id"] for r in _all(base, token, f"/api/{name}/")] for name in records}
    dictionaries["units"] = [u["code"] for u in _all(base, token, "/api/units/")]
    dictionaries["periods"] = ["2020", "2020H1", "2020H2", "2020Q3", "2020-05", "2021"]
    dictionaries["kinds"] = sorted({a["kind"] for a in _all(base, token, "/api/activities/")})
    dictionaries = {name: values for name, values in dictionaries.items() if values}

    def bind(key: str, dictionary: str) -> str:
        return f'"{key}" = {{ dictionary = "{dictionary}", probability = 0.5 }}'

    lines = []
    for name, values in dictionaries.items():
        lines += [f'[dictionaries."{name}"]', f"values = {json.dumps(values, ensure_ascii=False)}"]
    lines += ["[parameters]", bind("query.unit", "units"), bind("body.unit", "units")]
    lines += [bind("query.period", "periods"), bind("query.kind", "kinds")]
    lines += [bind(f"body.{field}", "people") for field in PERSON_FIELDS]
    lines += [bind(f"body.{field}", name) for field, name in RECORD_FIELDS.items() if name in dictionaries]
    # One entry per record type (the first entry matching an operation is the one that applies).
    for name in records:
        if name in dictionaries:
            lines += ["[[operations]]", f'include-path-regex = "^/api/{name}/"', "[operations.parameters]"]
            lines += [bind("path.id", name)]
            if name == "activities":  # its kind is a code, not an enum; attendance names people
                lines += [bind("body.kind", "kinds"), bind("body.attendance[*].person", "people")]
    return "\n".join(lines) + "\n"


def test_no_request_gets_a_server_error_or_an_undocumented_answer(tmp_path):
    assert SCHEMATHESIS.exists(), "schemathesis is a dev dependency: pip install -e '.[dev]'"
    var = tmp_path / "var"
    var.mkdir()
    env = load_demo(environment(var, suffix="schemathesis"))
    with serving(env, var / "serve.log", workers=2, threads=4) as port:
        base = f"http://127.0.0.1:{port}"
        token = _token(base)
        schema = _get(base, token, "/api/schema/?format=json")
        operations = sum(len(methods) for methods in schema["paths"].values()) - len(LEFT_OUT)
        config = tmp_path / "schemathesis.toml"
        config.write_text(_config(base, token, schema), encoding="utf-8")
        done = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(config),
                "--no-color",
                "run",
                f"{base}/api/schema/?format=json",
                *[arg for name in LEFT_OUT for arg in ("--exclude-name", name)],
                "--header",
                f"Authorization: Token {token}",
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                str(SEED),
                # One worker: Schemathesis' threads parse source concurrently and CPython 3.11 then
                # fails now and then with "AST constructor recursion depth mismatch"; no slower here.
                "--workers",
                "1",
                "--request-timeout",
                "60",
                "--generation-database",
                "none",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )
        log = (var / "serve.log").read_text()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-12000:] + "\n--- server log ---\n" + log[-4000:]
    tested = re.search(r"Tested: (\d+)", output)
    assert tested and int(tested[1]) == operations, output[-3000:]
    assert "Traceback" not in log, log[-4000:]
