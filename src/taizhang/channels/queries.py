"""Reads over channels, and the counting seams for the rules engine and the documents.

Seams (wired by the lead into ``frameworks/ideology.yaml``, the engine and the summary):

* ``measure_counts(units=, period=)`` → ``{unit_id: {measure: n}}``, one grouped query:
  ``channels_active`` (active and opened by the period's end) and
  ``channels_unregistered_or_unreviewed`` (of those, not registered by the period's end or not
  checked within the half year ending then — the "every active channel registered and reviewed
  at least every half year" requirement counts these as violations).
* ``state_counts(units=, ends=)`` → ``{unit_id: {'YYYY-MM': (active, lapsed)}}``: the same two
  figures as they stand at each of the given days (one per judged period's end), for the rules
  engine; one grouped query for all units and days.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

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


def lapsed_q(period: Period) -> Q:
    """Not registered by the period's end, or not checked in the half year before it."""
    return lapsed_by(period.end)


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


def measure_counts(*, units: QuerySet[Unit], period: Period) -> dict[int, dict[str, int]]:
    rows = (
        active_in(Channel.objects.filter(unit__in=units.values("pk")), period)
        .values("unit_id")
        .annotate(active=Count("id"), lapsed=Count("id", filter=lapsed_q(period)))
        .order_by()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["unit_id"]] = {
            "channels_active": row["active"],
            "channels_unregistered_or_unreviewed": row["lapsed"],
        }
    return dict(out)


def engine_counts(*, units: QuerySet[Unit], ends: list[date], **_) -> dict:
    """The rules engine's counter of ``channels`` (``core.registry``): active and lapsed at each end."""
    return {
        unit_id: {("channels", month): figures for month, figures in months.items()}
        for unit_id, months in state_counts(units=units, ends=ends).items()
    }
