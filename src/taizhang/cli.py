"""The ``taizhang`` command: Django's management commands under one name.

``taizhang demo``, ``taizhang serve``, ``taizhang ledger counts …`` and every other command
(``taizhang migrate``, ``taizhang createsuperuser``) run with taizhang's settings.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["taizhang", *argv])
    if len(args) == 1:
        args.append("help")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
