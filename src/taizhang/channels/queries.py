"""Reads over channels, and the rules engine's counter.

* ``lapsed_by(end)``: not registered by ``end`` or not checked within the half year before it (the
  "every active channel registered and reviewed" requirement's violation, the summary's flag).
* ``state_counts(units=, ends=)`` → ``{unit_id: {'YYYY-MM': (active, lapsed)}}``: the same two
  figures as they stand at each of the given days (one per judged period's end), for the rules
  engine; one grouped query for all units and days.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from taizhang.channels.models import Channel, ChannelKind, ChannelStatus
from taizhang.core.db import states_at
from taizhang.core.periods import Period
from taizhang.org.models import Unit

REVIEW_INTERVAL = timedelta(days=183)
GROUP_KINDS = (ChannelKind.WECHAT_GROUP, ChannelKind.QQ_GROUP)


def active_in(queryset: QuerySet[Channel], period: Period) -> QuerySet[Channel]:
    return queryset.filter(status=ChannelStatus.ACTIVE, opened_on__lte=period.end)


def active_on(queryset: QuerySet[Channel], day: date) -> QuerySet[Channel]:
    return queryset.filter(status=ChannelStatus.ACTIVE, opened_on__lte=day)


def lapsed_by(end: date) -> Q:
    """Not registered by ``end``, or not checked in the half year before it."""
    due = end - REVIEW_INTERVAL
    return (
        Q(registered_on__isnull=True)
        | Q(registered_on__gt=end)
        | Q(last_reviewed_on__isnull=True, registered_on__lt=due)
        | Q(last_reviewed_on__lt=due)
    )


def state_counts(*, units: QuerySet[Unit], ends: list[date]) -> dict[int, dict[str, tuple[int, int]]]:
    """Active channels and, of them, lapsed ones, per unit as they stand at each day of ``ends``.

    A channel's registration is a state, not an event in a month: the "every active channel
    registered and reviewed" rule judges a period by the channels as they stand at its end. One
    query with two conditional counts per day; the key is the day's month ('YYYY-MM').
    """
    if not ends:
        return {}
    rows = Channel.objects.filter(
        unit__in=units.values("pk"), status=ChannelStatus.ACTIVE, opened_on__lte=max(ends)
    )
    return states_at(rows, ends, counted=lambda end: Q(opened_on__lte=end), flagged=lapsed_by)


def engine_counts(*, units: QuerySet[Unit], ends: list[date], **_) -> dict:
    """The rules engine's counter of ``channels`` (``core.registry``): active and lapsed at each end."""
    return {
        unit_id: {("channels", month): figures for month, figures in months.items()}
        for unit_id, months in state_counts(units=units, ends=ends).items()
    }
