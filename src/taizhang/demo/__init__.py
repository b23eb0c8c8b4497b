"""Demo organisations reconstructed from the two seed documents, with fictional people.

``cppcc``: a county CPPCC organ, first half of 2020, whose ledger yields the seed's counts.
``school``: a school party branch, the whole of 2020, with plausible figures for the template's blanks.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from taizhang.demo import cppcc, school
from taizhang.demo.build import DEMO_PASSWORD, remove_tree
from taizhang.org.models import Unit
from taizhang.rules.services import framework_ensure_default

DEMO_UNITS = ("cppcc", "school")


@transaction.atomic
def load(*, reset: bool = False) -> list[str]:
    """Build the demo organisations; returns what was done, one line each, for the command to print."""
    done = []
    for code in DEMO_UNITS:
        existing = Unit.all_objects.filter(code=code).first()
        if existing and not reset:
            done.append(f"{existing.name}（{code}）已存在，跳过；加 --reset 可重建。")
            continue
        if existing:
            remove_tree(existing)
        builder = cppcc if code == "cppcc" else school
        unit = builder.build()
        done.append(f"已载入{unit.name}（{code}）。")
    _demo_admin()
    framework_ensure_default()  # the default requirement library, so the demo can be checked at once
    return done


def _demo_admin() -> None:
    """The login printed by ``make run``: sees every unit."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="demo", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.first_name = "演示管理员"
        user.set_password(DEMO_PASSWORD)
        user.save()
