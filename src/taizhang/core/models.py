"""The one abstract base every recorded table shares.

``version`` lets an edit say which state it read, so a stale edit is refused instead of applied;
``deleted`` makes deletes soft: the default manager hides deleted rows from lists and counts, and
``all_objects`` still reaches them for an admin to restore. ``history`` (django-simple-history) keeps
every state of every row with who changed it and when; ``record_update`` writes with a conditional
UPDATE, which sends no ``post_save``, so it records the new state through ``HISTORY`` itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# One tracker for every concrete Record model (``inherit=True``): each gets its Historical<Model> table.
HISTORY = HistoricalRecords(inherit=True)


class RecordQuerySet(models.QuerySet):
    """A record's rows. Writes that leave no history entry (``update``, ``bulk_create``,
    ``bulk_update``) still tell ``core.stamps`` which units they touched, so no result kept for a
    unit outlives a write in it, whichever way the write was made."""

    def update(self, **kwargs):
        from taizhang.core import stamp_notes

        stamp_notes.note_rows(self, kwargs)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from taizhang.core import stamp_notes

        made = super().bulk_create(objs, *args, **kwargs)
        stamp_notes.note_records(self.model, made)
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        from taizhang.core import stamp_notes

        objs = list(objs)
        stamp_notes.note_rows(self.filter(pk__in=[o.pk for o in objs]), {})  # where they were
        stamp_notes.note_records(self.model, objs)  # where they are now
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


# Each model's query of its live rows, made once: building the filter took 25-30 µs, a copy of it
# takes 3-5, and a page asks for a couple of dozen (4 % of the server's CPU under bench/load.py).
_LIVE: dict[type[models.Model], object] = {}


class LiveManager(models.Manager.from_queryset(RecordQuerySet)):
    """Rows that have not been (soft-)deleted."""

    def get_queryset(self):
        live = _LIVE.get(self.model)
        if live is None:  # two threads may both make it: the same query either way
            live = _LIVE[self.model] = super().get_queryset().filter(deleted=False).query
        # a copy (``chain``), as every QuerySet method makes one: the kept query is never changed
        return self._queryset_class(model=self.model, query=live.chain(), using=self._db, hints=self._hints)


class Record(models.Model):
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    deleted = models.BooleanField(_("已删除"), default=False, db_index=True, editable=False)

    objects = LiveManager()
    all_objects = models.Manager.from_queryset(RecordQuerySet)()
    history = HISTORY

    class Meta:
        abstract = True
