"""The change history every record keeps (django-simple-history), as a page shows it.

Each saved state after the first becomes the list of fields that changed, with their values
before and after in words (names instead of ids, choice labels instead of codes), who made the
change (the person's name; the login only for a login that is nobody's) and when. A record saved
together with its parts (an activity with its attendance: one row per person) reads as one line
per save: ``fold_saves`` merges the entries one person wrote within a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from taizhang.core.units import person_model

_HISTORY_TYPES = {
    "+": pgettext_lazy("history", "创建"),
    "~": pgettext_lazy("history", "修改"),
    "-": pgettext_lazy("history", "删除"),
}
_HIDDEN_FIELDS = {"updated", "created", "version"}
# Fields every record keeps for its own bookkeeping: no page shows them as the record's content.
BOOKKEEPING = _HIDDEN_FIELDS | {"deleted"}
# Rows one save writes (an activity and its attendance) are stamped within this of each other.
SAVE_WINDOW = timedelta(seconds=5)
SYSTEM = _("系统")


def _display(field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return str(value)


def user_name(user) -> str:
    """How every page names a login: the person it stands for, else the login itself, else 系统.

    The one rule for "who did it" (history rows, summary versions, approvals, the header); lists
    that name many logins at once use ``who_names``, which applies it in two queries.
    """
    if user is None:
        return SYSTEM
    person = getattr(user, "person", None)  # a reverse one-to-one: absent raises, getattr answers None
    return person.name if person is not None else user.get_username()


def who_names(records: list) -> dict[int | None, str]:
    """Who made each change, by ``history_user_id``: the person's name, else the login, else 系统
    (a change no login made: the demo, an import, a command)."""
    users = {r.history_user_id: r.history_user for r in records if r.history_user_id is not None}
    people = dict(person_model().all_objects.filter(user_id__in=users).values_list("user_id", "name"))
    names: dict[int | None, str] = {None: SYSTEM}
    for pk, user in users.items():
        names[pk] = people.get(pk) or (user.username if user is not None else SYSTEM)
    return names


def history_entries(records: list, subject: Callable) -> list[dict]:
    """Each state after the first as the changes from the one before, with who made them and when."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    model = records[0].instance_type if records else None
    names: dict = {}
    if model is not None:
        # One query per related model, for the names shown instead of raw ids.
        for field in model._meta.concrete_fields:
            if field.is_relation and field.name not in _HIDDEN_FIELDS:
                ids = {getattr(r, field.attname) for r in records} - {None}
                manager = getattr(field.related_model, "all_objects", field.related_model._default_manager)
                for obj in manager.filter(pk__in=ids):
                    names[(field.related_model, obj.pk)] = str(obj)
    who = who_names(records)
    out = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            # ``deleted`` is not editable, so diff_against leaves it out: compared here.
            if getattr(record, "deleted", False) != getattr(previous, "deleted", False):
                changes.append(
                    {
                        "field": gettext("状态"),
                        "old": "",
                        "new": gettext("已删除") if record.deleted else gettext("已恢复"),
                    }
                )
            for change in record.diff_against(previous).changes:
                if change.field in _HIDDEN_FIELDS:
                    continue
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _display(field, change.old, names),
                        "new": _display(field, change.new, names),
                    }
                )
        if previous is None or changes:
            out.append(
                {
                    "when": record.history_date,
                    "who": who[record.history_user_id],
                    "what": _HISTORY_TYPES.get(record.history_type, record.history_type),
                    "subject": subject(record),
                    "changes": changes,
                }
            )
        previous = record
    return out


def saves(items: list, *, when: Callable, who: Callable) -> list[list]:
    """``items`` (oldest first) cut into saves: runs one person wrote within ``SAVE_WINDOW``."""
    groups: list[list] = []
    for item in items:
        last = groups[-1][-1] if groups else None
        if last is not None and who(last) == who(item) and when(item) - when(last) <= SAVE_WINDOW:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def fold_saves(entries: list[dict]) -> list[dict]:
    """Entries one save wrote as one line, newest first: the first entry's operation and subject
    (the record saved first: the activity, before its attendance) with every change of the save."""
    lines = []
    for group in saves(
        sorted(entries, key=lambda e: e["when"]), when=lambda e: e["when"], who=lambda e: e["who"]
    ):
        lines.append({**group[0], "changes": [c for e in group for c in e["changes"]]})
    return sorted(lines, key=lambda e: e["when"], reverse=True)


def record_history(obj, subject: str = "记录") -> list[dict]:
    """The history of one record, newest first."""
    entries = history_entries(list(obj.history.select_related("history_user")), lambda r: subject)
    return sorted(entries, key=lambda e: e["when"], reverse=True)
