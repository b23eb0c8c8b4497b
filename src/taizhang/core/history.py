"""The change history every record keeps (django-simple-history), as a page shows it.

Each saved state after the first becomes the list of fields that changed, with their values
before and after in words (names instead of ids, choice labels instead of codes), who made the
change and when.
"""

from __future__ import annotations

from collections.abc import Callable

_HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}
_HIDDEN_FIELDS = {"updated", "created", "version"}


def _display(field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


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
    out = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            # ``deleted`` is not editable, so diff_against leaves it out: compared here.
            if getattr(record, "deleted", False) != getattr(previous, "deleted", False):
                changes.append({"field": "状态", "old": "", "new": "已删除" if record.deleted else "已恢复"})
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
                    "who": record.history_user,
                    "what": _HISTORY_TYPES.get(record.history_type, record.history_type),
                    "subject": subject(record),
                    "changes": changes,
                }
            )
        previous = record
    return out


def record_history(obj, subject: str = "记录") -> list[dict]:
    """The history of one record, newest first."""
    entries = history_entries(list(obj.history.select_related("history_user")), lambda r: subject)
    return sorted(entries, key=lambda e: e["when"], reverse=True)
