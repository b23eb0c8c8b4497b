"""Why a command could not use its database, in one line a person can act on.

``taizhang`` (cli.py) asks here when a command fails with a database error: a database it cannot
reach (which host, why), one that was never set up (run ``taizhang migrate``), or a DATABASE_URL it
cannot read. Any other database error is a bug and keeps its traceback.

SQLite creates its file on first connection, so a command run before ``migrate`` would leave an
empty database behind that looks set up; cli.py removes a file the command created without tables.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

NOT_SET_UP = "数据库尚未初始化：请先运行 taizhang migrate"
ENGINES = ("django.db.backends.sqlite3", "taizhang.core.sqlite_backend", "django.db.backends.postgresql")
URL_FORMS = "postgres://用户@主机:端口/数据库名 或 sqlite:///文件路径"


def url_problem() -> str | None:
    """Read the settings (they parse DATABASE_URL); say what is wrong with the URL, if anything."""
    from django.conf import settings

    url = os.environ.get("DATABASE_URL", "")
    try:
        engine = settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"]
    except ValueError:  # dj-database-url: an unknown scheme, a port that is not a number
        engine = None
    # Only the scheme is echoed: the URL may carry a password.
    if engine not in ENGINES:
        return f"DATABASE_URL 无效（“{urlsplit(url).scheme or url[:20]}://…”）：应为 {URL_FORMS}"
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    if (
        engine.endswith("postgresql")
        and not database.get("NAME")
        and not database.get("OPTIONS", {}).get("service")
    ):
        return f"DATABASE_URL 没有给出数据库名（“{urlsplit(url).scheme}://…/数据库名”）：应为 {URL_FORMS}"
    return None


def explain(*, command: str) -> str | None:
    """After ``command`` failed with a database error: the reason as one line, None if the database
    is reachable and set up (then the error is a bug and should be seen as one)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return f"无法连接数据库 {location(connection.settings_dict)}：{_reason(exc)}"
    if command == "migrate":
        return None
    try:
        applied, pending = migration_state(connection)
    except DatabaseError:
        return None
    if not pending:
        return None
    if not applied:
        return NOT_SET_UP
    return f"数据库结构不是最新（{len(pending)} 项迁移未执行）：请先运行 taizhang migrate"


def migration_state(connection) -> tuple[int, list]:
    """(how many migrations are applied, the migrations still to apply)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return len(executor.loader.applied_migrations), plan


def location(settings_dict: dict) -> str:
    """Where the database was looked for: the SQLite file, or host:port and database name."""
    if "sqlite" in settings_dict["ENGINE"]:
        return str(settings_dict["NAME"])
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"{host}:{port}（数据库 {settings_dict.get('NAME')}）"


def _reason(exc: Exception) -> str:
    """psycopg's first line, without the part that repeats the host we already name."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return first.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()


def new_sqlite_file() -> Path | None:
    """The on-disk SQLite file the settings name, when it does not exist yet (else None)."""
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    if "sqlite" not in settings_dict["ENGINE"]:
        return None
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return None if path.exists() else path


def remove_if_empty(path: Path) -> None:
    """Remove a SQLite file (and its journal) that holds no table: it was created by opening it."""
    connections.close_all()
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(path)) as probe:
            (tables,) = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return
    if tables:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
