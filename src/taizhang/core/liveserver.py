"""The production server on a fresh database of its own, for the tests and benchmarks that drive it over HTTP.

``production_server`` runs ``taizhang migrate`` and ``taizhang demo`` (or the steps it is given)
into a new database, starts ``taizhang serve`` (gunicorn) on a free loopback port and stops it
afterwards. The database is a new SQLite file in ``var``, or, when ``DATABASE_URL`` names a
PostgreSQL server, a new database on it named after the caller's (``<name>_<suffix>``), dropped at
the end: whatever the clients send (Schemathesis deletes records at random) never reaches the test
database or anyone else's.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TAIZHANG = Path(sys.executable).with_name("taizhang")
DEMO = (("migrate", "--noinput", "-v", "0"), ("demo",))


@dataclass(frozen=True)
class LiveServer:
    port: int
    env: dict[str, str]  # the environment the server runs with (TAIZHANG_VAR, DATABASE_URL)
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres(url: str, suffix: str) -> tuple[dict, str, str]:
    import dj_database_url

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_{suffix}"
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    return admin, name, url.rsplit("/", 1)[0] + f"/{name}"


def _recreate(admin: dict, name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(**admin) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def production_server(
    var: Path,
    *,
    suffix: str,
    database_url: str | None = None,
    own_database: bool = True,
    steps: Sequence[Sequence[str]] = DEMO,
    workers: int | None = 3,
    threads: int = 4,
    extra_env: dict[str, str] | None = None,
    timeout: float = 600,
) -> Iterator[LiveServer]:
    """``taizhang serve`` on 127.0.0.1 over a database prepared by ``steps``, stopped on exit.

    ``database_url`` (default: ``DATABASE_URL``) decides the kind: a PostgreSQL URL gets a fresh
    database ``<its name>_<suffix>`` on the same server; anything else a fresh SQLite file in ``var``.
    With ``own_database=False`` the server uses ``database_url`` itself, as it is (a benchmark's city).
    """
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(extra_env or {})
    env["TAIZHANG_VAR"] = str(var)
    url = os.environ.get("DATABASE_URL", "") if database_url is None else database_url
    postgres = _postgres(url, suffix) if own_database and url.startswith("postgres") else None
    if not own_database:
        env["DATABASE_URL"] = url
    elif postgres is not None:
        admin, name, env["DATABASE_URL"] = postgres
        _recreate(admin, name, create=True)
    else:
        for leftover in var.glob("taizhang.sqlite3*"):
            leftover.unlink()
    log = var / "serve.log"
    process = None
    try:
        for step in steps:
            done = subprocess.run(
                [str(TAIZHANG), *step], env=env, capture_output=True, text=True, timeout=timeout
            )
            if done.returncode != 0:
                raise RuntimeError(f"taizhang {' '.join(step)} failed:\n{done.stderr}")
        port = free_port()
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(TAIZHANG), "serve", "--port", str(port), "--threads", str(threads)]
                + (["--workers", str(workers)] if workers else []),  # None: serve's default for the machine
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while not _answers(port):
            if process.poll() is not None:
                raise RuntimeError(f"taizhang serve exited:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError("taizhang serve did not answer in 60 s")
            time.sleep(0.3)
        yield LiveServer(port=port, env=env, log=log)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        if postgres is not None:
            _recreate(postgres[0], postgres[1], create=False)
