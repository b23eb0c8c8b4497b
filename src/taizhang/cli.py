"""The ``taizhang`` command: Django's management commands under one name.

``taizhang demo``, ``taizhang serve``, ``taizhang ledger counts …`` and every other command
(``taizhang migrate``, ``taizhang createsuperuser``) run with taizhang's settings.

A database that cannot be used (a DATABASE_URL that names none, a server that does not answer, a
database never migrated) or a TAIZHANG_VAR that cannot be written is one line on stderr and exit
status 2, whichever command met it; see ``core.management.database``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from taizhang.core.management import database

    args = list(sys.argv if argv is None else ["taizhang", *argv])
    if len(args) == 1:
        args.append("help")
    try:  # the first read of the settings: a TAIZHANG_VAR that cannot be used says so here
        problem = database.url_problem()
    except ImproperlyConfigured as exc:
        problem = str(exc)
    if problem:
        _fail(problem)
    created = database.new_sqlite_file()
    try:
        execute_from_command_line(args)
    except DatabaseError:
        if "--traceback" in args:
            raise
        problem = database.explain(command=args[1])
        if problem is None:
            raise
        _fail(problem)
    finally:
        if created is not None:
            database.remove_if_empty(created)


def _fail(message: str) -> None:
    sys.stderr.write(f"错误：{message}\n")
    sys.exit(2)


if __name__ == "__main__":
    main()
