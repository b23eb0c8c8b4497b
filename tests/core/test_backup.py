"""``taizhang backup`` and ``taizhang restore`` as an operator runs them: in their own processes, against
databases of their own (SQLite files, or PostgreSQL databases when ``DATABASE_URL`` names a server).

A round trip must give back every row of every table (records, their history, sessions, tokens, the
monthly rollup) and every uploaded file; a file that cannot be trusted is refused in one line before
anything is written; a backup taken while clerks write is one moment of the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from tests.live import TAIZHANG, environment, load_demo, on_postgres, taizhang

pytestmark = pytest.mark.slow

# Every table's row count and a checksum of its rows, read by the app's own connection.
DIGEST = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
print(json.dumps(out))
"""

# Work a clerk leaves behind: an uploaded file, an edited record, a deleted one (all in the history).
CLERK_WORK = """
from django.core.files.uploadedfile import SimpleUploadedFile
from taizhang.ledger.models import Activity
from taizhang.ledger.services import activity_delete, activity_update, attachment_create
first, second = Activity.objects.filter(unit__code="cppcc").order_by("pk")[:2]
attachment_create(activity=first, upload=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 backup test\\n%%EOF"))
activity_update(activity=first, expected_version=first.version, topic=first.topic + "（修订）")
activity_delete(activity=second)
"""

# Record activities with attendance, one transaction each: LIMIT of them, or until the file STOP exists.
WRITER = """
import os, pathlib
from datetime import date
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.models import Person, Unit
unit = Unit.objects.get(code="cppcc")
kind = ActivityKind.objects.get(code="collective_study")
people = list(Person.objects.filter(unit=unit).order_by("pk")[:5])
stop, limit = os.environ.get("STOP"), int(os.environ.get("LIMIT", "0"))
n = 0
while (n < limit) if limit else not pathlib.Path(stop).exists():
    n += 1
    activity_create(
        unit=unit, kind=kind, date=date(2024, n % 12 + 1, n % 28 + 1), topic=f"备份时登记 {n}",
        holiday_reason="备份测试（日期按序生成，可能落在节假日）",
        attendance=[AttendanceEntry(person=p, status="present") for p in people],
    )
"""

# Per activity written by WRITER: its number of attendance rows (a transaction is all or nothing).
WRITTEN = """
import json
from django.db.models import Count
from taizhang.ledger.models import Activity
rows = Activity.all_objects.filter(topic__startswith="备份时登记").annotate(n=Count("attendances"))
print(json.dumps(sorted(row.n for row in rows)))
"""


def shell(env: dict, script: str, **extra: str) -> str:
    done = taizhang({**env, **extra}, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    return done.stdout


def digest(env: dict) -> dict:
    return json.loads(shell(env, DIGEST).strip().splitlines()[-1])


def media(env: dict) -> dict[str, bytes]:
    root = Path(env["TAIZHANG_VAR"]) / "media"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def is_empty(env: dict) -> bool:
    """No database written: no SQLite file, or a PostgreSQL database without tables; no media."""
    if on_postgres():
        empty = digest(env) == {}
    else:
        empty = not (Path(env["TAIZHANG_VAR"]) / "taizhang.sqlite3").exists()
    return empty and media(env) == {}


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo with a clerk's work on it, and its backup."""
    var = tmp_path_factory.mktemp("backup-source")
    env = environment(var, suffix="backup_source")
    load_demo(env)
    shell(env, CLERK_WORK)
    path = var / "taizhang.zip"
    done = taizhang(env, "backup", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert "已备份到" in done.stdout
    return {"env": env, "path": path, "digest": digest(env), "media": media(env)}


@pytest.fixture
def target(tmp_path):
    """An empty place to restore into: a var/ without a database file, or an empty PostgreSQL database."""
    return environment(tmp_path / "var", suffix="backup_target")


def test_the_manifest_says_what_the_backup_holds(source):
    with zipfile.ZipFile(source["path"]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["app_version"] == "0.1.0"
    assert manifest["database"]["vendor"] == ("postgresql" if on_postgres() else "sqlite")
    assert "0001_initial" in manifest["migrations"]["ledger"]
    assert manifest["tables"] == {table: rows for table, (rows, _) in source["digest"].items()}
    attachment = next(name for name in manifest["files"] if name.startswith("media/attachments/"))
    assert attachment.endswith("签到表.pdf")
    assert len(manifest["files"][attachment]["sha256"]) == 64


def test_round_trip_gives_back_every_row_every_history_entry_and_every_file(source, target):
    done = taizhang(target, "restore", str(source["path"]))
    assert done.returncode == 0, done.stderr
    assert "已恢复" in done.stdout and "行数与备份清单一致" in done.stdout

    restored = digest(target)
    assert restored == source["digest"]  # every table: the same rows, byte for byte
    history = {t: n for t, (n, _) in restored.items() if "historical" in t}
    assert history["ledger_historicalactivity"] > 0 and history["ledger_historicalattachment"] > 0
    assert media(target) == source["media"] != {}

    # The restored database is a working one: its rollup triggers are there and keep up.
    shell(target, WRITER, LIMIT="3")
    done = taizhang(target, "ledger", "rollup")
    assert done.returncode == 0 and "一致" in done.stdout, done.stdout + done.stderr


def _rewritten(source: Path, out: Path, *, manifest=None, payload=None) -> Path:
    """A copy of the backup with its manifest or its database member changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif info.filename.startswith("database.") and payload:
                data = payload(data)
            new.writestr(info, data)
    return out


def _resigned(source: Path, out: Path, *, manifest=None, payload=None) -> Path:
    """``_rewritten`` with the database member's size and checksum written anew into the manifest: a
    file that passes every checksum but holds something else (a forger's, or a copy damaged before
    it was signed)."""
    with zipfile.ZipFile(source) as old:
        name = next(n for n in old.namelist() if n.startswith("database."))
        data = payload(old.read(name)) if payload else old.read(name)

    def signed(found: dict) -> dict:
        found["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        return manifest(found) if manifest else found

    return _rewritten(source, out, manifest=signed, payload=lambda _: data)


def _flip_a_byte_inside(data: bytes) -> bytes:
    """One byte flipped inside the snapshot, as the issue's probe did: the file still opens, and
    only the database's own checks can tell. SQLite: the last byte of the logins' index (inside its
    last entry). A PostgreSQL dump: a byte in each twentieth of its second half, inside the tables'
    compressed rows (its table of contents, at the start, is text that ``pg_restore --list`` reads
    either way); one byte in the middle alone sometimes fell where nothing reads it."""
    if data.startswith(b"PGDMP"):
        damaged = bytearray(data)
        for k in range(10, 20):
            damaged[len(data) * k // 20] ^= 0xFF
        return bytes(damaged)
    else:
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / "snapshot.sqlite3"
            copy.write_bytes(data)
            snapshot = sqlite3.connect(copy)
            (page_size,) = snapshot.execute("PRAGMA page_size").fetchone()
            (root,) = snapshot.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'auth_user' ORDER BY name"
            ).fetchone()
            snapshot.close()
        at = root * page_size - 1
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _garbage(data: bytes) -> bytes:
    return os.urandom(len(data))


def _one_row_more(manifest: dict) -> dict:
    manifest["tables"]["ledger_activity"] += 1
    return manifest


def _entry_not_an_object(manifest: dict) -> dict:
    name = next(iter(manifest["files"]))
    manifest["files"][name] = "database"
    return manifest


def _without_tables(manifest: dict) -> dict:
    del manifest["tables"]
    return manifest


def _count_as_text(manifest: dict) -> dict:
    manifest["tables"]["ledger_activity"] = str(manifest["tables"]["ledger_activity"])
    return manifest


def _written(out: Path, data: bytes) -> Path:
    out.write_bytes(data)
    return out


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _other_vendor(manifest: dict) -> dict:
    vendor = manifest["database"]["vendor"]
    manifest["database"]["vendor"] = "sqlite" if vendor == "postgresql" else "postgresql"
    return manifest


def _from_a_newer_version(manifest: dict) -> dict:
    manifest["migrations"]["ledger"].append("9999_from_a_newer_version")
    manifest["app_version"] = "9.0.0"
    return manifest


# What an operator might hand to restore, made from a good backup, and what the refusal must say.
REFUSALS = {
    "not a zip": (lambda src, out: _written(out, os.urandom(4096)), "不是台账备份文件"),
    "cut short": (lambda src, out: _written(out, src.read_bytes()[: src.stat().st_size // 2]), "已损坏"),
    "no manifest": (
        lambda src, out: _written(out, _zip_of({"database.sqlite3": b"x"})),
        "没有 manifest.json",
    ),
    "changed database": (lambda src, out: _rewritten(src, out, payload=_flip_a_byte), "校验和与清单不符"),
    "other database vendor": (lambda src, out: _rewritten(src, out, manifest=_other_vendor), "当前配置的是"),
    "newer version": (lambda src, out: _rewritten(src, out, manifest=_from_a_newer_version), "请先升级台账"),
    "missing file": (lambda src, out: out, "找不到备份文件"),
    "damaged inside, re-signed": (
        lambda src, out: _resigned(src, out, payload=_flip_a_byte_inside),
        # PostgreSQL: refused by pg_restore --list (a damaged table of contents: 未写入任何内容) or
        # while restoring (damaged rows: the transaction is rolled back, 数据库保持原样)
        "未通过完整性检查" if not on_postgres() else ("数据库保持原样", "未写入任何内容"),
    ),
    "garbage, re-signed": (
        lambda src, out: _resigned(src, out, payload=_garbage),
        "不是可用的 SQLite 数据库" if not on_postgres() else "无法读取",
    ),
    "rows differ from the manifest": (
        lambda src, out: _rewritten(src, out, manifest=_one_row_more),
        "表 ledger_activity 有",
    ),
    "manifest entry not an object": (
        lambda src, out: _rewritten(src, out, manifest=_entry_not_an_object),
        "应为对象",
    ),
    "manifest without tables": (
        lambda src, out: _rewritten(src, out, manifest=_without_tables),
        "缺少 tables",
    ),
    "manifest count as text": (lambda src, out: _rewritten(src, out, manifest=_count_as_text), "非负整数"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_file_that_cannot_be_trusted_is_refused_in_one_line_and_nothing_is_written(
    source, target, tmp_path, case
):
    make, expected = REFUSALS[case]
    bad = make(source["path"], tmp_path / "bad.zip")
    line = one_line_error(taizhang(target, "restore", str(bad)))
    assert any(words in line for words in (expected if isinstance(expected, tuple) else (expected,))), line
    assert is_empty(target)


def test_a_database_with_data_is_kept_unless_forced(source, target):
    load_demo(target)
    before = digest(target)
    line = one_line_error(taizhang(target, "restore", str(source["path"])))
    assert "不是空的" in line and "--force" in line
    assert digest(target) == before

    done = taizhang(target, "restore", "--force", str(source["path"]))
    assert done.returncode == 0, done.stderr
    assert digest(target) == source["digest"]
    assert media(target) == source["media"]


def test_a_backup_taken_while_clerks_write_is_one_moment_of_the_database(source, tmp_path):
    env = dict(source["env"], STOP=str(tmp_path / "stop"))
    writer = subprocess.Popen(
        [str(TAIZHANG), "shell", "-c", WRITER],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while json.loads(shell(env, WRITTEN).splitlines()[-1]) == []:  # wait for the first write
            assert writer.poll() is None and time.monotonic() < deadline, writer.communicate()
        path = tmp_path / "during.zip"
        done = taizhang(env, "backup", "-o", str(path))
        assert done.returncode == 0, done.stderr
    finally:
        Path(env["STOP"]).touch()
        _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written_after = json.loads(shell(env, WRITTEN).splitlines()[-1])

    restored = environment(tmp_path / "restored", suffix="backup_during")
    done = taizhang(restored, "restore", str(path))
    assert done.returncode == 0, done.stderr
    in_backup = json.loads(shell(restored, WRITTEN).splitlines()[-1])
    assert 0 < len(in_backup) < len(written_after)  # taken in the middle of the writing
    assert set(in_backup) == {5}  # every activity with all its attendance, none half written
    done = taizhang(restored, "ledger", "rollup")  # and the rollup agrees with the ledger
    assert done.returncode == 0, done.stdout + done.stderr


def test_backup_refuses_an_output_it_cannot_write(source, tmp_path):
    (tmp_path / "folder.zip").mkdir()
    line = one_line_error(taizhang(source["env"], "backup", "-o", str(tmp_path / "folder.zip")))
    assert "是目录" in line
    line = one_line_error(taizhang(source["env"], "backup", "-o", str(tmp_path / "missing" / "b.zip")))
    assert "不存在" in line
    line = one_line_error(taizhang(source["env"], "backup", "-o", str(tmp_path / "b.txt")))
    assert "应以 .zip 结尾" in line  # as report refuses a wrong extension
    assert list(tmp_path.iterdir()) == [tmp_path / "folder.zip"]
    assert list((tmp_path / "folder.zip").iterdir()) == []


@pytest.mark.skipif(not on_postgres(), reason="pg_dump is used only on PostgreSQL")
def test_without_pg_dump_the_backup_says_what_to_install(source, tmp_path):
    env = dict(source["env"], PATH=str(tmp_path))  # no pg_dump on this PATH
    line = one_line_error(taizhang(env, "backup", "-o", str(tmp_path / "b.zip")))
    assert "找不到 pg_dump" in line and "postgresql-client" in line
