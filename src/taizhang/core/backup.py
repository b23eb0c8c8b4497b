"""Backup and restore: one file holding a consistent snapshot of the database, the uploaded files and
a manifest saying what it holds, so that a restore can refuse a file it cannot trust before it
writes anything.

The file is a zip archive:

``manifest.json``
    the format and its version, the app's version, when it was taken, the database vendor and the
    tool that wrote the snapshot, the migrations applied and the number of rows of every table (both
    read from the snapshot itself, not the live database), and the size and SHA-256 of every other
    member.
``database.sqlite3`` or ``database.pgdump``
    SQLite's online backup API (a page-by-page copy under one read transaction, so writers carry on
    and the copy is one moment of the database), or ``pg_dump --format=custom`` taken from a
    snapshot exported by the transaction that counted the rows.
``media/…``
    the uploaded attachments (``MEDIA_ROOT``), copied after the snapshot so that every file a
    snapshot's row names is there (files are only ever added).

A restore (``core.restore``) checks the archive whole (every member's checksum, the vendor, migrations this code
knows) and then fills an *empty* database: a missing SQLite file is created, an existing database
with tables is refused unless ``force`` is given. It then counts the rows again against the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "taizhang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# A manifest lists every table and file with a few numbers each: a million attachments come to
# about 150 MB (400,000 of them in 64 MB). zipfile stops reading a member at the size it declares,
# so this bounds the read, and the JSON it parses.
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
MEDIA_PREFIX = "media/"
PAYLOAD = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something the operator can fix (a bad path, a missing tool, a file that cannot be trusted);
    the message is one Chinese line."""


# ---------------------------------------------------------------------------------------------
# Backup


def backup_write(*, path: Path) -> dict:
    """Write a backup of the configured database and the uploaded files to ``path``; returns the manifest.

    The archive is written beside ``path`` under a temporary name and renamed into place when
    complete, so a failure or a kill never leaves half a backup under the name a restore would use.
    """
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"“{path}”是一个目录：请给出备份文件名，例如 {path / 'taizhang-backup.zip'}。")
    if not path.parent.is_dir():
        raise BackupError(f"目录“{path.parent}”不存在：请先创建它，或换一个位置。")
    vendor = connection.vendor
    if vendor not in PAYLOAD:
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    with tempfile.TemporaryDirectory(prefix=".taizhang-backup-", dir=path.parent) as work:
        payload = Path(work) / PAYLOAD[vendor]
        snapshot = _snapshot_sqlite(payload) if vendor == "sqlite" else _snapshot_postgresql(payload)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, **snapshot["database"]},
            "migrations": snapshot["migrations"],
            "tables": snapshot["tables"],
            "files": {},
        }
        partial = Path(work) / "backup.zip"
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            compress = zipfile.ZIP_DEFLATED if vendor == "sqlite" else zipfile.ZIP_STORED
            manifest["files"][payload.name] = _add(archive, payload, payload.name, compress)
            for file in _media_files():
                name = MEDIA_PREFIX + file.relative_to(settings.MEDIA_ROOT).as_posix()
                manifest["files"][name] = _add(archive, file, name, zipfile.ZIP_DEFLATED)
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        _fsync(partial)
        os.replace(partial, path)
    return manifest


def app_version() -> str:
    try:
        return metadata.version("taizhang")
    except metadata.PackageNotFoundError:
        return "unknown"


def _snapshot_sqlite(payload: Path) -> dict:
    """Copy the live SQLite database with the online backup API, then read counts from the copy."""
    source_path = str(connection.settings_dict["NAME"])
    if not Path(source_path).is_file():
        raise BackupError(f"数据库文件“{source_path}”不存在：没有可备份的数据。")
    source = sqlite3.connect(source_path, timeout=60)
    target = sqlite3.connect(payload)
    try:
        source.backup(target)  # all pages in one step: one read transaction, one moment of the database
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = [
            name
            for (name,) in target.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        migrations = _migrations(target.execute("SELECT app, name FROM django_migrations") if tables else [])
        version = target.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        target.close()
        source.close()
    return {
        "database": {
            "server_version": version,
            "tool": f"sqlite3 online backup API {sqlite3.sqlite_version}",
        },
        "migrations": migrations,
        "tables": counts,
    }


def _snapshot_postgresql(payload: Path) -> dict:
    """pg_dump from the snapshot of the transaction that counts the rows: the dump and the counts agree."""
    server_major = connection.pg_version // 10000
    tool = _pg_tool("pg_dump", server_major)
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT app, name FROM django_migrations"
            if "django_migrations" in counts
            else "SELECT 1 WHERE false"
        )
        migrations = _migrations(cursor.fetchall())
        _run_pg(
            [tool["path"], "--format=custom", f"--snapshot={snapshot}", "--file", str(payload)],
            failure="pg_dump 备份失败",
        )
    return {
        "database": {"server_version": connection.pg_version, "tool": tool["version"]},
        "migrations": migrations,
        "tables": counts,
    }


def _migrations(rows) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in rows:
        out.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _add(archive: zipfile.ZipFile, file: Path, name: str, compress: int) -> dict:
    """Stream ``file`` into the archive and return its size and SHA-256 for the manifest."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo.from_file(file, name)
    info.compress_type = compress
    with file.open("rb") as source, archive.open(info, "w", force_zip64=True) as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            sink.write(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def _fsync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def _pg_tool(name: str, server_major: int) -> dict:
    """The path and version of a PostgreSQL client tool, refused when missing or older than the server."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL {server_major} 或更新版本的客户端"
            f"（Debian/Ubuntu：apt-get install postgresql-client）。"
        )
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    major = int(match.group(1)) if match else 0
    if major < server_major:
        raise BackupError(
            f"{name} 的版本（{major}）低于数据库服务器（{server_major}）：请安装 PostgreSQL {server_major} 的客户端。"
        )
    return {"path": found, "version": version}


def _pg_env(*, dbname: str | None = None) -> dict[str, str]:
    """The environment a PostgreSQL client tool connects with: the configured server, user and
    password (never on the command line), and the database unless the command names it."""
    db = connection.settings_dict
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    if dbname:
        env["PGDATABASE"] = dbname
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    return env


def _run_pg(args: list[str], *, failure: str) -> None:
    """Run a PostgreSQL client tool against the configured database, the password passed in the environment."""
    named = any(arg.startswith("--dbname") for arg in args)
    env = _pg_env(dbname=None if named else connection.settings_dict["NAME"])
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{failure}：{lines[-1] if lines else f'退出码 {done.returncode}'}")


def describe(manifest: dict) -> str:
    """One line: what a backup holds."""
    created = manifest.get("created", "")
    with contextlib.suppress(TypeError, ValueError):
        created = datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M")
    vendor = VENDOR_NAMES.get(manifest["database"].get("vendor"), "?")
    rows = sum(manifest["tables"].values())
    media = sum(1 for name in manifest["files"] if name.startswith(MEDIA_PREFIX))
    return f"{created} 的 {vendor} 备份（台账 {manifest.get('app_version')}）：{len(manifest['tables'])} 张表 {rows} 行，{media} 个附件"
