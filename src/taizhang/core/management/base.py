"""What taizhang's commands share: bad input is one Chinese line on stderr and exit status 2.

Arguments are checked where argparse reads them, by the types below (a day, a bounded number, a
file to read, a file or directory to write), so a command's ``handle`` only runs on input it can
use, and a mistake is reported before anything is written. Errors argparse itself finds (a missing
or unknown option) are put into the same one line, in Chinese. What a command writes goes through
``write_output``: a temporary file renamed into place, never half a document.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from taizhang.core.files import replacing
from taizhang.core.periods import Period, PeriodError, parse_day
from taizhang.core.units import unit_model, visible_units


class UsageError(CommandError):
    """Bad input on the command line: one line, exit status 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class TaizhangCommand(BaseCommand):
    """A command whose errors read ``错误：…`` instead of a Python class name."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for each in _parsers(parser):
            each.__class__ = OneLineParser  # Django builds a CommandParser; only error() differs
        return parser

    def execute(self, *args, **options):
        try:
            try:
                return super().execute(*args, **options)
            except ValidationError as exc:  # a service refused the input: say what it said
                raise UsageError("；".join(exc.messages)) from exc
        except CommandError as exc:
            # Only on a real command line; call_command() callers (tests, other commands) get the exception.
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode)


class OneLineParser(CommandParser):
    """Django's parser, reporting its errors as ``错误：…`` on one line (argparse prints the usage
    first and speaks English), and as UsageError when a command is called from code."""

    def error(self, message):
        text = f"{_in_chinese(message, self)}；用法见 {self.prog} --help"
        if not self.called_from_command_line:
            raise UsageError(text)
        sys.stderr.write(f"错误：{text}\n")
        sys.exit(2)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


# argparse's messages (Python 3.11), as a clerk should read them.
_ARGPARSE = [
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"one of the arguments (.*) is required", "须给出 {0} 之一"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 不明确（可能是 {1}）"),
    (r"invalid choice: '?(.*?)'? \(choose from (.*)\)", "“{0}”无效（可选：{1}）"),
    (r"invalid \w+ value: '?(.*?)'?", "“{0}”格式不正确"),
    (r"expected one argument", "缺少取值"),
    (r"expected at most one argument", "至多一个取值"),
    (r"expected at least one argument", "至少一个取值"),
    (r"not allowed with argument (.*)", "不能与 {0} 同时使用"),
    (r"ignored explicit argument '?(.*?)'?", "不接受取值“{0}”"),
]


def _in_chinese(message: str, parser: argparse.ArgumentParser) -> str:
    subcommands = {
        action.dest: "、".join(action.choices)
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
    }
    match = re.fullmatch(r"argument (.+?): (.*)", message, re.DOTALL)
    name, detail = (match[1], match[2]) if match else (None, message)
    for pattern, text in _ARGPARSE:
        found = re.fullmatch(pattern, detail, re.DOTALL)
        if found:
            detail = text.format(*(g.replace("'", "").replace(", ", "、") for g in found.groups()))
            break
    for dest, choices in subcommands.items():
        if name == dest:
            name = "子命令"
        detail = detail.replace(f"参数：{dest}", f"子命令（{choices} 之一）")
    # An option is named before what is wrong with it; a positional argument's name says nothing.
    return f"{name} {detail}" if (name and name.startswith("-")) or name == "子命令" else detail


# -- argument types: each returns the value or raises ArgumentTypeError with a Chinese message ------

DAYS = range(0, 367)  # a to-do window of at most a year
JOBS = range(0, 65)  # 0: one per core
RECORD_ID = range(1, 2**63)  # what a database's bigint id can hold
VERSION = range(1, 2**31)  # a PositiveIntegerField on PostgreSQL


def integer(allowed: range) -> Callable[[str], int]:
    """A whole number within ``allowed``, e.g. ``type=integer(DAYS)``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
        if value not in allowed:
            raise argparse.ArgumentTypeError(
                f"应在 {allowed.start} 到 {allowed.stop - 1} 之间，而不是 {value}"
            )
        return value

    return parse


def day(text: str):
    """A day typed as YYYY-MM-DD, within the years a period may name."""
    try:
        return parse_day(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def input_file(text: str) -> Path:
    """A file that exists and can be read."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"找不到文件“{text}”")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"“{text}”不是文件")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"没有读取“{text}”的权限")
    return path


def output_file(*suffixes: str, stdout: bool = False) -> Callable[[str], Path | str]:
    """A file to write, in a directory that exists, with one of ``suffixes`` (``-``: standard output)."""

    def parse(text: str) -> Path | str:
        if stdout and text == "-":
            return text
        path = Path(text)
        if suffixes and path.suffix.lower() not in suffixes:
            named = "、".join(suffixes[:-1]) + " 或 " * (len(suffixes) > 1) + suffixes[-1]
            raise argparse.ArgumentTypeError(f"输出文件应以 {named} 结尾，而不是“{text}”")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"“{text}”是目录，请给出文件名")
        _writable_directory(path.parent)
        return path

    return parse


def output_dir(text: str) -> Path:
    """A directory to write into: it exists, or its parent does (it is then created)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"“{text}”不是目录")
    _writable_directory(path if path.exists() else path.parent)
    return path


def _writable_directory(path: Path) -> None:
    shown = str(path)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"目录“{shown}”不存在")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"“{shown}”不是目录")
    if not os.access(path, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"没有写入目录“{shown}”的权限")


def check_suffix(path: Path, suffix: str, option: str) -> None:
    """A file named on the command line must carry the suffix of what is written into it."""
    if path.suffix.lower() != suffix:
        raise UsageError(f"{option} 的输出文件应以 {suffix} 结尾，而不是“{path}”。")


@contextmanager
def output(path: Path) -> Iterator[Path]:
    """Write a command's file: yield a temporary path that replaces ``path`` once it is complete.

    A disk that is full or turns read-only under the command is one line, not a traceback.
    """
    try:
        with replacing(path) as temporary:
            yield temporary
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def cannot_write(path: Path, exc: OSError) -> CommandError:
    """The one line for a write the system refused (exit 1: the input was fine, the disk was not)."""
    return CommandError(f"无法写入“{path}”：{exc.strerror or exc}")


def write_output(path: Path, data: bytes) -> None:
    with output(path) as temporary:
        temporary.write_bytes(data)


# -- lookups --------------------------------------------------------------------------------------


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise UsageError(str(exc)) from exc


def user_from_name(username: str | None):
    """The login a command acts as (``--as``); None runs as the server's operator, who sees everything."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UsageError(f"没有用户名为“{username}”的账号。")
    return user


def unit_from_code(code: str, *, user=None) -> Model:
    """The unit named on the command line, within what ``user`` may read when the command acts as one."""
    units = unit_model().objects.all() if user is None else visible_units(user)
    unit = units.filter(code=code).first()
    if unit is None:
        if user is not None and unit_model().objects.filter(code=code).exists():
            raise UsageError(f"账号“{user.get_username()}”无权查看单位“{code}”。")
        raise UsageError(f"没有代码为“{code}”的单位。")
    return unit
