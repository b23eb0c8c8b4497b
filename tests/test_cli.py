"""Every ``taizhang`` command given bad input, as a person types it: one Chinese line, exit 2, nothing written.

The real ``taizhang`` executable runs in subprocesses against a temporary TAIZHANG_VAR (never the test
database), as in test_end_to_end.py. The tables name each of the project's own commands; a command
added without rows here fails ``test_every_command_has_rows``. Cases run a few at a time, since
each is a process start of about a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import get_commands

DEFAULT_FRAMEWORK = Path(__file__).resolve().parents[1] / "frameworks" / "ideology.yaml"
README = Path(__file__).resolve().parents[1] / "README.md"  # a Markdown file to check or fill

TAIZHANG = Path(sys.executable).with_name("taizhang")
NOT_SET_UP = "错误：数据库尚未初始化：请先运行 taizhang migrate"
pytestmark = pytest.mark.slow

H1 = ["--unit", "cppcc", "--period", "2020H1"]

# command → (arguments, what the one line must say). Paths are relative to a scratch directory
# holding folder.xlsx/, folder.docx/ and folder.zip/ (directories), binary.yaml, utf16.yaml,
# huge-min.yaml, empty-title.yaml, corrupt.docx, binary.txt, draft.txt and not-an-object.zip.
BAD = {
    "backup": [
        (["-o", "missing/backup.zip"], "目录“missing”不存在"),
        (["-o", "folder.zip"], "“folder.zip”是目录"),
        (["-o", "b.txt"], "输出文件应以 .zip 结尾，而不是“b.txt”"),
    ],
    "restore": [
        (["missing.zip"], "找不到备份文件“missing.zip”"),
        (["binary.yaml"], "binary.yaml"),
        (["not-an-object.zip"], "files 中“database.sqlite3”应为对象"),
    ],
    "token": [(["revoke", "nobody-here"], "没有用户名为“nobody-here”的账号")],
    "check": [
        (["--unit", "cppcc", "--period", "2020", "--as-of", "9999-12-31"], "--as-of 日期超出范围"),
        (["--period", "2020H1"], "须给出 --unit"),
    ],
    "demo": [(["--reset", "now"], "无法识别的参数：now")],
    "worker": [
        (["--interval", "0"], "--interval 应在 1 到 3600 之间"),
        (["--backend", "nowhere", "--once"], "TASKS 设置中没有名为“nowhere”的后端"),
    ],
    "extract": [
        (["missing.txt"], "找不到文件“missing.txt”"),
        (["folder.docx"], "“folder.docx”不是文件"),
        (["corrupt.docx"], "“corrupt.docx”不是有效的 Word 文档"),
        (["binary.txt"], "“binary.txt”不是文本文件"),
        (["binary.yaml"], "只能读取 .txt、.md 或 .docx 文件"),
    ],
    "factcheck": [
        (["draft.txt", "--unit", "nowhere", "--period", "2020H1"], "没有代码为“nowhere”的单位"),
        (["draft.txt", "--unit", "cppcc", "--period", "2020H3"], "期间不存在"),
        (["corrupt.docx", *H1], "“corrupt.docx”不是有效的 Word 文档"),
        (["draft.txt", "--period", "2020H1"], "缺少参数：--unit"),
    ],
    "import": [
        (["missing.xlsx", "--unit", "cppcc"], "找不到文件“missing.xlsx”"),
        (["folder.xlsx", "--unit", "cppcc"], "“folder.xlsx”不是文件"),
        (["draft.txt", "--unit", "nowhere"], "没有代码为“nowhere”的单位"),
        (["binary.yaml", "--unit", "cppcc"], "只能导入 .xlsx 或 .csv 文件"),
        (["corrupt.docx"], "缺少参数：--unit"),
    ],
    "import-summary": [
        (["missing.txt", *H1], "找不到文件“missing.txt”"),
        (["draft.txt", "--unit", "nowhere", "--period", "2020"], "没有代码为“nowhere”的单位"),
        (["draft.txt", "--unit", "cppcc", "--period", "2020H3"], "期间不存在"),
        (["corrupt.docx", "--unit", "cppcc", "--period", "2020"], "“corrupt.docx”不是有效的 Word 文档"),
        (["binary.yaml", "--unit", "cppcc", "--period", "2020"], "只能读取 .txt、.md 或 .docx 文件"),
        (["draft.txt", "--unit", "cppcc", "--period", "2999"], "尚未结束"),
        (["draft.txt", "--period", "2020"], "缺少参数：--unit"),
    ],
    "fill": [
        (["draft.txt", *H1, "-o", "filled.docx"], "输出文件应与模板同为 .txt 文件"),
        (["draft.txt", *H1, "-o", "missing/filled.txt"], "目录“missing”不存在"),
        (["draft.txt", *H1, "-o", "filled.pdf"], "应以 .txt、.md 或 .docx 结尾"),
        (["corrupt.docx", *H1, "-o", "filled.docx"], "“corrupt.docx”不是有效的 Word 文档"),
    ],
    "export": [
        (["ledger", *H1, "-o", "ledger.docx"], "应以 .xlsx 结尾"),
        (["ledger", *H1, "-o", "missing/ledger.xlsx"], "目录“missing”不存在"),
        (["ledger", *H1, "-o", "folder.xlsx"], "“folder.xlsx”是目录"),
        (["record", "--activity", "1", "-o", "missing/record.docx"], "目录“missing”不存在"),
        (["record", "--activity", "1", "-o", "folder.docx"], "“folder.docx”是目录"),
        (["record", "--activity", "99999999999999999999", "-o", "record.docx"], "--activity 应在 1 到"),
    ],
    "framework": [
        (["load", "binary.yaml"], "binary.yaml:1: 不是 UTF-8 编码的文本文件"),
        (["load", "utf16.yaml"], "utf16.yaml:1: 不是 UTF-8 编码的文本文件"),
        (["load", "huge-min.yaml"], "huge-min.yaml:{huge_min_line}: min 应在 0 到 10000 之间"),
        (["load", str(DEFAULT_FRAMEWORK), "--slug", "../../x y"], "要求库标识“../../x y”"),
        (["load", "missing.yaml"], "找不到文件“missing.yaml”"),
        (["load", "empty-title.yaml"], "empty-title.yaml:{empty_title_line}: 缺少字段 title"),
        (["assign", "--unit", "cppcc", "--version", "0"], "--version 应在 1 到"),
    ],
    "ledger": [
        (["counts", "--unit", "nowhere", "--period", "2020H1"], "没有代码为“nowhere”的单位"),
        (["rollup", "--rebuild", "now"], "无法识别的参数：now"),
    ],
    "remind": [
        (["--days", "99999999999"], "--days 应在 0 到 366 之间"),
        (["--as-of", "9999-12-31"], "--as-of 日期超出范围"),
    ],
    "report": [
        (["summary", *H1, "-o", "missing/summary.docx"], "目录“missing”不存在"),
        (["summary", *H1, "-o", "folder.docx"], "“folder.docx”是目录"),
        (["summary", *H1, "--format", "md", "-o", "summary.docx"], "应以 .md 结尾"),
        (["summary", *H1, "--with-children", "--out-dir", "out", "--jobs", "-1"], "--jobs 应在 0 到 64"),
        (["summary", *H1, "--with-children", "--out-dir", "binary.yaml"], "“binary.yaml”不是目录"),
        (["bulletin", *H1, "-o", "missing/bulletin.docx"], "目录“missing”不存在"),
        (["bulletin", *H1, "-o", "folder.docx"], "“folder.docx”是目录"),
    ],
    "score": [
        ([*H1, "-o", "missing/score.xlsx"], "目录“missing”不存在"),
        ([*H1, "-o", "folder.xlsx"], "“folder.xlsx”是目录"),
        ([*H1, "-o", "score.docx"], "应以 .xlsx 结尾"),
    ],
    "serve": [
        (["--port", "0"], "端口 0 无效"),
        (["--workers", "-1"], "工作进程数 -1 无效"),
        (["--running", "-1"], "同时运行的请求数 -1 无效"),
    ],
    "template": [
        (["ledger", "-o", "template.docx"], "应以 .xlsx 结尾"),
        (["ledger", "-o", "missing/template.xlsx"], "目录“missing”不存在"),
        (["ledger", "-o", "folder.xlsx"], "“folder.xlsx”是目录"),
        (["summary", "-o", "template.xlsx"], "子命令 “summary”无效（可选：ledger）"),
    ],
    "todo": [
        (["--unit", "cppcc", "--days", "99999999999"], "--days 应在 0 到 366 之间"),
        (["--unit", "cppcc", "--days", "-5"], "--days 应在 0 到 366 之间"),
        (["--unit", "cppcc", "--as-of", "9999-12-31"], "--as-of 日期超出范围"),
    ],
}

# command → arguments that are right, except that the database was never set up (None: the command
# does not need the database before it has done anything, with the reason; a pair: the arguments
# and what the command says instead of the general message).
WITHOUT_DATABASE = {
    "backup": (["-o", "backup.zip"], "没有可备份的数据"),  # it says so in its own words
    "restore": None,  # restores into an empty, never-migrated database: that is its job
    "token": ["list"],
    "check": H1,
    "demo": None,  # migrates by itself: the `ready` fixture starts it on an empty directory
    "export": ["ledger", *H1, "-o", "ledger.xlsx"],
    "extract": None,  # reads the file and the framework folder, never the database
    "factcheck": [str(README), *H1],
    "fill": [str(README), *H1, "-o", "filled.md"],
    "import": [str(README), "--unit", "cppcc"],
    "import-summary": [str(README), "--unit", "cppcc", "--period", "2020"],
    "framework": ["load", str(DEFAULT_FRAMEWORK)],
    "ledger": ["counts", *H1],
    "remind": [],
    "report": ["summary", *H1, "-o", "summary.docx"],
    "score": [*H1, "-o", "score.xlsx"],
    "serve": None,  # the server opens the database on the first request, not when it starts
    "template": ["ledger", "-o", "template.xlsx"],
    "todo": ["--unit", "cppcc"],
    "worker": ["--once"],
}


def _environment(var: Path, **extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**environment, "TAIZHANG_VAR": str(var), **extra}


def run(env: dict, cwd: Path, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TAIZHANG), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def refusals(cases: list[tuple[dict, Path, list[str], str]]) -> list[str]:
    """Run every case; return what is wrong with each answer that is not one line, exit 2, saying ``needle``."""

    def one(case):
        env, cwd, args, needle = case
        result = run(env, cwd, args)
        lines = result.stderr.strip().splitlines()
        if (
            result.returncode == 2
            and len(lines) == 1
            and lines[0].startswith("错误：")
            and needle in lines[0]
            and "Traceback" not in result.stderr
        ):
            return None
        return f"taizhang {' '.join(args)}: exit {result.returncode}, expected “{needle}”, stderr:\n{result.stderr}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        return [problem for problem in pool.map(one, cases) if problem]


def snapshot(*paths: Path) -> dict[str, str]:
    """Every file under ``paths`` with a digest of its content (directories as such)."""
    seen = {}
    for root in paths:
        for path in sorted(root.rglob("*")):
            if path.name.endswith("-shm"):  # SQLite's shared-memory index changes on every read
                continue
            seen[str(path)] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


@pytest.fixture(scope="module")
def ready(tmp_path_factory):
    """The demo, loaded by `taizhang demo` alone into an empty directory: it migrates by itself."""
    var = tmp_path_factory.mktemp("var")
    env = _environment(var)
    result = run(env, var, ["demo"])
    assert result.returncode == 0, result.stderr
    assert "已初始化数据库" in result.stdout and "已载入县政协机关" in result.stdout
    return env


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The directory the bad cases run in; returns it and the lines of huge-min.yaml's bad min and
    of empty-title.yaml's requirement without a title."""
    scratch = tmp_path_factory.mktemp("scratch")
    (scratch / "folder.xlsx").mkdir()
    (scratch / "folder.docx").mkdir()
    (scratch / "binary.yaml").write_bytes(bytes(range(128, 256)) + bytes(range(128)))
    (scratch / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a Word document")
    (scratch / "binary.txt").write_bytes(bytes(range(256)))
    (scratch / "draft.txt").write_text("开展中心组学习4次。", encoding="utf-8")
    (scratch / "utf16.yaml").write_text(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"), encoding="utf-16")
    lines = DEFAULT_FRAMEWORK.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if re.fullmatch(r"\s+min: \d+", text))
    lines[line] = re.sub(r"\d+$", "1.0e+32", lines[line])
    (scratch / "huge-min.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a requirement whose title was left blank (YAML reads it as nothing; it was a ParserError)
    lines = DEFAULT_FRAMEWORK.read_text(encoding="utf-8").splitlines()
    title = next(i for i, text in enumerate(lines) if re.fullmatch(r"    title: .+", text))
    lines[title] = "    title:"
    (scratch / "empty-title.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = max(i for i in range(title) if lines[i].startswith("  - "))
    (scratch / "folder.zip").mkdir()
    # a backup whose manifest lists its database as a word, not an object (it was a TypeError)
    manifest = {
        "format": "taizhang-backup", "format_version": 1, "database": {"vendor": "sqlite"},
        "migrations": {}, "tables": {}, "files": {"database.sqlite3": "database"},
    }  # fmt: skip
    with zipfile.ZipFile(scratch / "not-an-object.zip", "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("database.sqlite3", b"SQLite format 3\0")
    return scratch, {"huge_min_line": line + 1, "empty_title_line": code + 1}


def test_every_command_has_rows():
    """The project's own commands (not Django's), found where Django finds them."""
    ours = {name for name, app in get_commands().items() if app.startswith("taizhang")}
    assert ours == set(BAD), "a command without bad-input rows in BAD (or a row for no command)"
    assert ours == set(WITHOUT_DATABASE), "a command without a row in WITHOUT_DATABASE"


def test_bad_input_is_one_line_exit_2_and_writes_nothing(ready, scratch):
    directory, lines = scratch
    var = Path(ready["TAIZHANG_VAR"])
    before = snapshot(directory, var)
    cases = [
        (ready, directory, [command, *args], needle.format(**lines))
        for command, rows in BAD.items()
        for args, needle in rows
    ]
    assert refusals(cases) == []
    assert snapshot(directory, var) == before  # no file written, no database row changed


def test_a_database_never_set_up_is_named_and_no_empty_file_is_left(tmp_path):
    cases, vars_ = [], []
    for command, args in WITHOUT_DATABASE.items():
        if args is None:
            continue
        var = tmp_path / command  # one each: a case must not find the file another just created
        var.mkdir()
        vars_.append(var)
        args, needle = args if isinstance(args, tuple) else (args, NOT_SET_UP)
        cases.append((_environment(var), var, [command, *args], needle))
    assert refusals(cases) == []
    left = [str(p) for var in vars_ for p in var.iterdir() if p.name not in {"secret_key", "static"}]
    assert left == []  # neither an empty SQLite file nor a document


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_or_unreadable_database_is_named(tmp_path):
    port = _closed_port()
    unreachable = _environment(tmp_path, DATABASE_URL=f"postgres://taizhang@127.0.0.1:{port}/taizhang")
    garbage = _environment(tmp_path, DATABASE_URL="garbage://")
    nameless = _environment(tmp_path, DATABASE_URL="postgres://127.0.0.1")  # (it was ImproperlyConfigured)
    where = f"无法连接数据库 127.0.0.1:{port}（数据库 taizhang）"
    cases = [
        (unreachable, tmp_path, ["todo", "--unit", "cppcc"], where),
        (unreachable, tmp_path, ["migrate"], where),
        (garbage, tmp_path, ["ledger", "counts", *H1], "DATABASE_URL 无效（“garbage://…”）"),
        (nameless, tmp_path, ["ledger", "counts", *H1], "DATABASE_URL 没有给出数据库名"),
    ]
    assert refusals(cases) == []


def test_a_var_directory_that_cannot_be_written_is_named(tmp_path):
    """TAIZHANG_VAR under a file, or where nothing may be made (it was a FileNotFoundError)."""
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    cases = [
        (_environment(var), tmp_path, ["ledger", "counts", *H1], f"TAIZHANG_VAR（{var}）不可用")
        for var in (tmp_path / "a-file" / "var", Path("/proc/taizhang-nowhere/var"))
    ]
    assert refusals(cases) == []
