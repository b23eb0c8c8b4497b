"""Input checks the record services share: dates a ledger can hold, people of the right organisation."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core import units

EARLIEST_DATE = date(2000, 1, 1)


def check_date(
    value: date | None, errors: dict[str, str], field: str, label: str, *, required: bool = True
) -> None:
    """A recorded date is not in the future and not implausibly early; the message names the field.
    The one rule for a date every record service, the activities' and their import apply."""
    if value is None:
        if required:
            errors[field] = gettext("请填写%(label)s。") % {"label": label}
    elif not isinstance(value, date):
        errors[field] = gettext("%(label)s格式不正确。") % {"label": label}
    elif value > timezone.localdate():
        errors[field] = gettext("%(label)s %(value)s 晚于今天：台账只记录已经发生的事。") % {
            "label": label,
            "value": f"{value:%Y-%m-%d}",
        }
    elif value < EARLIEST_DATE:
        errors[field] = gettext("%(label)s %(value)s 过早，请检查年份。") % {
            "label": label,
            "value": f"{value:%Y-%m-%d}",
        }


def check_text(value: str | None, errors: dict[str, str], field: str, label: str) -> None:
    if not (value or "").strip():
        errors[field] = f"请填写{label}。"


def check_choice(value, choices, errors: dict[str, str], field: str, label: str) -> None:
    """``choices`` is a TextChoices class; an unknown value is named in the message."""
    if value not in choices.values:
        known = "、".join(str(c.label) for c in choices)
        errors[field] = f"{label}“{value}”无效（应为{known}之一）。"


def check_person(unit, person, errors: dict[str, str], field: str, label: str, *, required: bool) -> None:
    """People on a record must belong to the organisation of the record's unit (as in the ledger)."""
    if person is None:
        if required:
            errors[field] = f"请选择{label}。"
        return
    org = units.organisation_of(unit)
    if not person.unit.path.startswith(org.path):
        errors[field] = f"{person.name}不属于{org.name}，不能作为{label}。"
