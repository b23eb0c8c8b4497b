"""Loading the demo county (``taizhang demo``): its root, the two organisations reconstructed from
the seeds, the generated units, and the ``demo`` login."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from taizhang.core import stamps
from taizhang.demo import county, cppcc, school
from taizhang.demo.build import DEMO_PASSWORD, remove_tree
from taizhang.org.models import Unit
from taizhang.rules.services import framework_ensure_default

# The county is the root; the two organisations reconstructed from the seeds are its children.
DEMO_ROOT = "county"
DEMO_UNITS = ("cppcc", "school")


@transaction.atomic
def load(*, reset: bool = False) -> list[str]:
    """Build the demo county and its organisations; returns what was done, one line each, for the
    command to print."""
    existing = Unit.all_objects.filter(code=DEMO_ROOT).first()
    if existing and not reset:
        _demo_admin()
        return [f"{existing.name}（{DEMO_ROOT}）已存在，跳过；加 --reset 可重建。"]
    stamps.forget_everything()  # a reset deletes in bulk: nothing kept for the old demo stands
    if existing:
        remove_tree(existing)
    for code in DEMO_UNITS:  # a database loaded before the county existed holds them as roots
        if old := Unit.all_objects.filter(code=code).first():
            remove_tree(old)
    framework_ensure_default()  # the default requirement library: the generated ledgers follow it
    root = county.build_root()
    done = [f"已载入{root.name}（{DEMO_ROOT}）。"]
    for builder in (cppcc, school):
        unit = builder.build(parent=root)
        done.append(f"已载入{unit.name}（{unit.code}）。")
    generated = county.build_units(root)
    done.append(f"已生成{root.name}其他 {len(generated)} 个单位的台账。")
    _demo_admin()
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
