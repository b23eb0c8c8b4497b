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


class LiveManager(models.Manager):
    """Rows that have not been (soft-)deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted=False)


class Record(models.Model):
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    deleted = models.BooleanField(_("已删除"), default=False, db_index=True, editable=False)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)
    history = HISTORY

    class Meta:
        abstract = True
