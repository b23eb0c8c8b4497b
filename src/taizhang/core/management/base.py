"""What taizhang's commands share: bad input is one Chinese line on stderr and exit status 2."""

import sys

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.periods import Period, PeriodError
from taizhang.org.models import Unit


class UsageError(CommandError):
    """Bad input on the command line: one line, exit status 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class TaizhangCommand(BaseCommand):
    """A command whose errors read ``错误：…`` instead of a Python class name."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # Only on a real command line; call_command() callers (tests, other commands) get the exception.
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode)


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


def unit_from_code(code: str, *, user=None) -> Unit:
    """The unit named on the command line, within what ``user`` may read when the command acts as one."""
    from taizhang.org.scope import visible_units

    units = Unit.objects.all() if user is None else visible_units(user)
    unit = units.filter(code=code).first()
    if unit is None:
        if user is not None and Unit.objects.filter(code=code).exists():
            raise UsageError(f"账号“{user.get_username()}”无权查看单位“{code}”。")
        raise UsageError(f"没有代码为“{code}”的单位。")
    return unit
