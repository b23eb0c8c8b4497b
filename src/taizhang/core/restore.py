"""Restore: a backup file (``core.backup``) checked whole (every member's checksum, the vendor,
migrations this code knows), then an *empty* database filled from it and its rows counted again
against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from taizhang.core import stamps
from taizhang.core.backup import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    MEDIA_PREFIX,
    PAYLOAD,
    VENDOR_NAMES,
    BackupError,
    _pg_env,
    _pg_tool,
    app_version,
)


class RestoreIncomplete(BackupError):
    """The restore ran but the database does not hold what the manifest says: not the operator's input."""


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    pending_migrations: int
    manifest: dict


# ---------------------------------------------------------------------------------------------
# Restore


def backup_read(*, path: Path) -> dict:
    """The manifest of the backup at ``path`` after checking every member against it; else BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件“{path}”。")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            names = set(archive.namelist()) - {MANIFEST}
            if names != set(manifest["files"]):
                missing = sorted(set(manifest["files"]) - names) or sorted(names - set(manifest["files"]))
                raise BackupError(
                    f"备份文件“{path.name}”的内容与清单不符（{missing[0]}）：文件不完整或被改动过。"
                )
            for name, expected in manifest["files"].items():
                digest, size = hashlib.sha256(), 0
                with archive.open(name) as member:
                    while chunk := member.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
                    raise BackupError(f"备份文件“{path.name}”已损坏：{name} 的校验和与清单不符。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise BackupError(f"备份文件“{path.name}”已损坏或不是台账备份文件（{_reason(exc)}）。") from exc
    return manifest


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:120]


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        size = archive.getinfo(MANIFEST).file_size  # read whole below: bounded first
        if size > MANIFEST_MAX_BYTES:
            raise BackupError(
                f"备份文件“{path.name}”的清单 {MANIFEST} 有 {size:,} 字节，超过 {MANIFEST_MAX_BYTES:,} 字节的上限：不是台账备份文件。"
            )
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError as exc:
        raise BackupError(f"“{path.name}”不是台账备份文件：其中没有 {MANIFEST}。") from exc
    except RecursionError as exc:  # JSON nested thousands deep
        raise BackupError(f"备份文件“{path.name}”的清单 {MANIFEST} 嵌套过深，无法读取。") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"备份文件“{path.name}”的清单 {MANIFEST} 无法读取：{_reason(exc)}。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"“{path.name}”不是台账备份文件：清单的格式标记不对。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份文件“{path.name}”的格式版本为 {manifest.get('format_version')}，"
            f"本程序（{app_version()}）只能恢复第 {FORMAT_VERSION} 版：请使用相应版本的台账恢复。"
        )
    problem = _manifest_problem(manifest)
    if problem:
        raise BackupError(f"备份文件“{path.name}”的清单 {MANIFEST} 有误：{problem}，无法信任这个备份。")
    return manifest


SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _manifest_problem(manifest: dict) -> str | None:
    """What is wrong with the manifest's shape, in a few words; None when every entry is as written.

    Everything a restore reads from the manifest is checked here, so that a hand-edited or forged
    one is refused in a sentence instead of failing halfway with a TypeError."""
    for key, kind, word in (
        ("database", dict, "对象"), ("migrations", dict, "对象"), ("tables", dict, "对象"), ("files", dict, "对象"),
    ):  # fmt: skip
        if key not in manifest:
            return f"缺少 {key}"
        if not isinstance(manifest[key], kind):
            return f"{key} 应为{word}"
    for key in ("app_version", "created"):
        if key in manifest and not isinstance(manifest[key], str):
            return f"{key} 应为文字"
    if not isinstance(manifest["database"].get("vendor"), str):
        return "database.vendor 缺失或不是文字"
    for app, names in manifest["migrations"].items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return f"migrations 中“{app}”应为迁移名称的列表"
    for table, rows in manifest["tables"].items():
        if not _count(rows):
            return f"tables 中“{table}”的行数应为非负整数"
    for name, entry in manifest["files"].items():
        if not isinstance(entry, dict):
            return f"files 中“{name}”应为对象"
        if not _count(entry.get("bytes")):
            return f"files 中“{name}”的 bytes 缺失或不是非负整数"
        if not isinstance(entry.get("sha256"), str) or not SHA256.match(entry["sha256"]):
            return f"files 中“{name}”的 sha256 缺失或不是 64 位十六进制"
    return None


def backup_check_compatible(manifest: dict) -> None:
    """Refuse a backup of another vendor, or one taken by a newer version with migrations we do not know."""
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"备份来自 {VENDOR_NAMES.get(vendor, vendor)} 数据库，当前配置的是 "
            f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)}：请将 DATABASE_URL 设为同类数据库后再恢复。"
        )
    if PAYLOAD[vendor] not in manifest["files"]:
        raise BackupError(f"备份文件中没有数据库快照 {PAYLOAD[vendor]}。")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names]
    unknown = [m for m in unknown if tuple(m.split(".", 1)) not in known]
    if unknown:
        raise BackupError(
            f"备份来自较新的台账（{manifest.get('app_version')}，含本程序不认识的迁移 {unknown[0]} 等 "
            f"{len(unknown)} 个）：请先升级台账再恢复。"
        )
    if vendor == "postgresql":
        _pg_tool("pg_restore", connection.pg_version // 10000)
        _pg_tool("psql", connection.pg_version // 10000)


def backup_restore(*, path: Path, force: bool = False) -> RestoreReport:
    """Restore the backup at ``path`` into the configured database, which must be empty unless ``force``."""
    manifest = backup_read(path=path)
    backup_check_compatible(manifest)
    existing = database_tables()
    if existing and not force:
        raise BackupError(
            f"目标数据库不是空的（已有 {len(existing)} 张表）：恢复会用备份替换其中的全部数据；"
            "确认要替换请加 --force，或换一个空数据库。"
        )
    media = _media_plan(manifest, force=force)
    vendor = manifest["database"]["vendor"]
    work_dir = None
    if vendor == "sqlite":  # the snapshot is unpacked beside the database: same disk, room for it
        work_dir = Path(str(connection.settings_dict["NAME"])).parent
        work_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".taizhang-restore-", dir=work_dir) as work,
        zipfile.ZipFile(path) as archive,
    ):
        payload = Path(archive.extract(PAYLOAD[vendor], work))
        # Proven before anything is written: a snapshot that is damaged inside (its checksum
        # recomputed to match) or holds other rows than the manifest says is refused here.
        if vendor == "sqlite":
            _prove_sqlite(payload, manifest["tables"], path.name)
            _restore_sqlite(payload)
        else:
            _prove_postgresql(payload, path.name)
            _restore_postgresql(payload, manifest["tables"], path.name, clean=bool(existing))
        for name in media:
            target = Path(settings.MEDIA_ROOT) / name[len(MEDIA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.restoring")
            with archive.open(name) as source, partial.open("wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)
            os.replace(partial, target)
    stamps.forget_everything()  # the results kept for the database it replaced are not its
    counts = table_counts()
    expected = manifest["tables"]
    for table, rows in expected.items():
        if counts.get(table) != rows:
            raise RestoreIncomplete(
                f"恢复后表 {table} 有 {counts.get(table, '（缺失）')} 行，备份清单记的是 {rows} 行：恢复不完整，请检查数据库后重试。"
            )
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    pending = len(set(loader.disk_migrations) - set(loader.applied_migrations))
    return RestoreReport(
        tables=len(expected),
        rows=sum(expected.values()),
        files=len(media),
        pending_migrations=pending,
        manifest=manifest,
    )


def database_tables() -> list[str]:
    """The tables of the configured database; [] for a missing SQLite file (without creating it)."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not connection.is_in_memory_db() and not Path(name).exists():
            return []
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            out[table] = cursor.fetchone()[0]
    return out


def _media_plan(manifest: dict, *, force: bool) -> list[str]:
    """The media members to write; a different file already in the way is refused unless ``force``."""
    root = Path(settings.MEDIA_ROOT).resolve()
    plan = []
    for name, expected in manifest["files"].items():
        if not name.startswith(MEDIA_PREFIX):
            continue
        target = (root / name[len(MEDIA_PREFIX) :]).resolve()
        if root not in target.parents:
            raise BackupError(f"备份文件中的“{name}”指向媒体目录之外：拒绝恢复。")
        if target.exists():
            if _sha256(target) == expected["sha256"]:
                continue
            if not force:
                raise BackupError(
                    f"媒体目录中已有不同的文件“{target}”：确认要用备份中的文件替换请加 --force。"
                )
        plan.append(name)
    return plan


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _prove_sqlite(payload: Path, expected: dict[str, int], file_name: str) -> None:
    """SQLite's own checks on the unpacked snapshot (every page, index and foreign key), and its rows
    counted against the manifest; BackupError on the first thing wrong."""
    try:
        snapshot = sqlite3.connect(f"{payload.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in snapshot.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                raise BackupError(
                    f"备份文件“{file_name}”中的数据库快照未通过完整性检查（{problems[0][:100]}"
                    f"{f' 等 {len(problems)} 处' if len(problems) > 1 else ''}）：快照已损坏，未写入任何内容。"
                )
            broken = snapshot.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise BackupError(
                    f"备份文件“{file_name}”中的数据库快照有 {len(broken)} 处外键指向不存在的记录"
                    f"（{table} 第 {rowid} 行 → {parent}）：快照不一致，未写入任何内容。"
                )
            tables = {
                name
                for (name,) in snapshot.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            }
            for table, rows in expected.items():
                found = (
                    snapshot.execute(f"SELECT COUNT(*) FROM {_quoted(table)}").fetchone()[0]
                    if table in tables
                    else None
                )
                if found != rows:
                    raise BackupError(_rows_differ(file_name, table, found, rows))
        finally:
            snapshot.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"备份文件“{file_name}”中的数据库快照不是可用的 SQLite 数据库（{_reason(exc)}）：未写入任何内容。"
        ) from exc


def _rows_differ(file_name: str, table: str, found: int | None, rows: int) -> str:
    have = "没有这张表" if found is None else f"有 {found} 行"
    return f"备份文件“{file_name}”的数据库快照中表 {table} {have}，清单记的是 {rows} 行：备份不可信，未写入任何内容。"


def _restore_sqlite(payload: Path) -> None:
    """Copy the snapshot into the configured file with the backup API (atomic for the target's readers).

    A missing file is created; a -wal or -shm file left beside a missing database belongs to a
    database that is gone, and SQLite would replay it into the new one, so it is removed first.
    """
    target = Path(str(connection.settings_dict["NAME"]))
    connection.close()
    if not target.exists():
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(f"{payload.resolve().as_uri()}?mode=ro", uri=True)
    sink = sqlite3.connect(target, timeout=60)
    try:
        source.backup(sink)
        sink.execute("PRAGMA journal_mode=WAL")  # as settings.py opens it
    finally:
        sink.close()
        source.close()


def _prove_postgresql(payload: Path, file_name: str) -> None:
    """``pg_restore --list``: the dump's table of contents reads whole, or the file is refused."""
    tool = _pg_tool("pg_restore", connection.pg_version // 10000)
    # a damaged table of contents may list names that are not UTF-8: read them as they come
    done = subprocess.run(
        [tool["path"], "--list", str(payload)], capture_output=True, text=True, errors="replace", check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"退出码 {done.returncode}"
        raise BackupError(
            f"备份文件“{file_name}”中的数据库转储无法读取（pg_restore --list：{reason}）：未写入任何内容。"
        )


# Raised by the count check at the end of a PostgreSQL restore, inside its transaction.
ROWS_DIFFER = "TAIZHANG_ROWS_DIFFER"


def _restore_postgresql(payload: Path, expected: dict[str, int], file_name: str, *, clean: bool) -> None:
    """The dump as SQL (``pg_restore --file=-``) fed to psql inside one transaction, which commits only
    when pg_restore finished and every table holds the rows the manifest says: a dump that fails or
    disagrees leaves the database as it was.

    ``clean`` (a forced restore over existing tables) drops the dump's objects first, in the same
    transaction. Ownership and grants are left to the restoring user.
    """
    major = connection.pg_version // 10000
    restore, psql = _pg_tool("pg_restore", major), _pg_tool("psql", major)
    connection.close()
    args = [restore["path"], "--no-owner", "--no-privileges", "--file=-"]
    if clean:
        args += ["--clean", "--if-exists"]
    checks = "".join(
        f"  SELECT count(*) INTO n FROM {_quoted(table)};\n"
        f"  IF n <> {int(rows)} THEN RAISE EXCEPTION '{ROWS_DIFFER} % % %', {_literal(table)}, n, {int(rows)};"
        " END IF;\n"
        for table, rows in expected.items()
    )
    env = _pg_env(dbname=connection.settings_dict["NAME"])
    with tempfile.TemporaryFile() as dump_errors, tempfile.TemporaryFile() as psql_errors:
        run = subprocess.Popen(
            [psql["path"], "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env,
        )  # fmt: skip
        dump = subprocess.Popen([*args, str(payload)], stdout=subprocess.PIPE, stderr=dump_errors, env=env)
        try:
            run.stdin.write(b"BEGIN;\n")
            shutil.copyfileobj(dump.stdout, run.stdin, CHUNK)
            dumped = dump.wait() == 0
            # (the dump's SQL empties search_path: the tables are named as the app names them)
            check = f"RESET search_path;\nDO $$\nDECLARE n bigint;\nBEGIN\n{checks}END $$;\nCOMMIT;\n"
            ending = check if dumped else "ROLLBACK;\n"
            run.stdin.write(ending.encode())
            run.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
            dump.kill()
        finally:
            dump.wait()
            run.wait()
        if dump.returncode == 0 and run.returncode == 0:
            return
        dump_errors.seek(0)
        psql_errors.seek(0)
        text = psql_errors.read().decode("utf-8", "replace") + dump_errors.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip() and "Broken pipe" not in line]
    differ = next((line for line in lines if ROWS_DIFFER in line), None)
    if differ:
        table, found, rows = differ.split(ROWS_DIFFER, 1)[1].split()[:3]
        raise BackupError(_rows_differ(file_name, table, int(found), int(rows)))
    first_error = next((line for line in lines if "ERROR" in line or "error" in line), None)
    reason = first_error or (lines[-1] if lines else f"退出码 {run.returncode or dump.returncode}")
    raise BackupError(f"pg_restore 恢复失败，数据库保持原样：{reason.strip()[:200]}")


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
