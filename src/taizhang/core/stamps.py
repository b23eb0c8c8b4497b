"""Results computed once per change: the compliance check, the summary's facts, the to-do list and
the other figures a page shows, kept in Django's cache until a write in the unit's subtree.

Every unit has a *generation*, a random token kept in the cache (``tz:<db>:g:<unit id>``), and the
deployment one more (``…:g:*``). A result of a unit's scope is kept under a key naming what it
was asked for (the function, the unit, the period, the as-of day, the language where it matters),
with the two tokens that were current when its computation began; it is served only while both
still are. A write moves the generation of the unit it touched and of every unit above it, so it
invalidates exactly the scopes that contain it: its ancestors' results and its own, never a
sibling's. Whatever no unit owns (frameworks, activity kinds, areas, a restored database, a new
version of the code at start-up) moves the deployment's token, which invalidates everything.

Who moves them: every recorded table keeps its history (``core.models.Record``), and every history
entry a save, soft delete, restore or hard delete writes sends django-simple-history's
``post_create_historical_record`` (``record_update`` writes its entries through the same tracker).
``note_history`` finds the unit of the record (its own ``unit``, or its activity's, submission's,
draft's: ``_route``). Writes that leave no history entry note their rows' units too: a record
queryset's ``update``, ``bulk_create`` and ``bulk_update`` (``core.models.RecordQuerySet``), and
the bulk paths that write history rows in SQL (the import, the demo), which all go through
``ledger.rollup.suspended_for_units``. The rollup's rebuild, a restore, the demo and ``serve`` at
start-up move the deployment's token.

Years: activities (with their attendance and attachments) are the records written most, and a
result of one year (a check of 2020, this year's to-do list) reads only the activities of its
years. Each unit therefore also has a generation per year, moved by writes of activities dated in
it, and one for undated writes (every other record); a result that says which years it reads
(``cached(years=…)``) is kept under those and the undated one, so recording last year's meeting
leaves this year's to-do list as it was.

When: a write notes its units on its connection and they move once the transaction commits
(``transaction.on_commit``). A reader reads the tokens *before* computing, so a result worked out
from rows older than a commit is kept under the tokens that commit then replaces, and no reader
after the commit sees it; a writer's own request, which reads back at once, reads after the
commit. While a transaction that has written is still open, its own connection computes without the
cache (its uncommitted rows are in what it reads, and must never be kept for others); a
transaction rolled back leaves its notes behind, which move the tokens anyway on the next read
(a needless recomputation, never a stale result).

A token missing from the cache (evicted, the cache emptied) is replaced by a new random one, so a
result older than the eviction is never taken for current. Any error of the cache itself (Redis
unreachable) is logged and the result computed as if nothing were kept.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from taizhang.core import units

log = logging.getLogger(__name__)
T = TypeVar("T")

EVERYTHING = "*"
# Records no kept result reads: who may log in and see what, one-time passwords, sign-in windows
# (their sign-ins are attendance, which is read), saved wordings of a summary (applied to the facts
# after they are read).
UNREAD = frozenset({"org.Grant", "org.OneTimePassword", "ledger.SignInWindow", "documents.SummaryVersion"})


def _cache():
    return caches[settings.TAIZHANG_RESULTS_CACHE]


@lru_cache(maxsize=8)
def _db_tag(engine: str, host: str, port: str, name: str) -> str:
    """A short name of the database the results come from, in every key: two deployments (or a test
    database and the development one) sharing a cache never read each other's results."""
    return hashlib.blake2s(f"{engine}|{host}|{port}|{name}".encode(), digest_size=5).hexdigest()


def _prefix() -> str:
    s = connections[DEFAULT_DB_ALIAS].settings_dict
    return "tz:" + _db_tag(s["ENGINE"], str(s.get("HOST") or ""), str(s.get("PORT") or ""), str(s["NAME"]))


def _gen_key(prefix: str, unit: int | str) -> str:
    return f"{prefix}:g:{unit}"


def _result_key(prefix: str, name: str, unit_id: int, parts: tuple) -> str:
    # r2: the value pickled apart from its tokens (``cached``); entries of the earlier shape are not read
    return f"{prefix}:r2:{name}:{unit_id}:{_digest(parts)}"


def _tokens(store, gens: list[str], found: dict) -> list[str]:
    """The current token of each generation in ``gens`` (``found``: what one read of the cache
    returned); one never set, or evicted, gets a new one, so nothing kept before it is current."""
    tokens = []
    for gen in gens:
        token = found.get(gen)
        if token is None:
            token = _new_token()
            if not store.add(gen, token, None):  # another process set it meanwhile: theirs
                token = store.get(gen) or token
        tokens.append(token)
    return tokens


def _new_token() -> str:
    return os.urandom(8).hex()


def _digest(parts: tuple) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=10).hexdigest()


# -- reading ----------------------------------------------------------------------------------------


# What reading an entry kept by an older version of the code raises (its class moved or went).
UNREADABLE = (AttributeError, ImportError, EOFError, TypeError, pickle.UnpicklingError)


def cached(
    name: str, *, unit_id: int, parts: tuple, compute: Callable[[], T], years: Iterable[int] | None = None
) -> T:
    """``compute()``, or what it returned before for the same ``name`` and ``parts`` of the scope of
    unit ``unit_id`` (the unit and everything below it) when nothing has been written in that scope
    since. ``parts`` are plain values (str, int, bool, date, None) naming what was asked for.

    ``years``: the result reads activities (and their attendance and attachments) dated in these
    years only, so a write of an activity dated in another year leaves it current; every other
    record counts as undated and invalidates it. None: it may read any activity."""
    if not settings.TAIZHANG_RESULTS_CACHE or _writing():
        return compute()
    prefix = _prefix()
    if years is None:
        gens = [_gen_key(prefix, EVERYTHING), _gen_key(prefix, unit_id)]
    else:
        scoped = [f"{unit_id}:{UNDATED}", *(f"{unit_id}:{year}" for year in sorted(set(years)))]
        gens = [_gen_key(prefix, EVERYTHING), *(_gen_key(prefix, gen) for gen in scoped)]
    key = _result_key(prefix, name, unit_id, parts)
    store = _cache()
    try:
        tokens, value = _read(store, gens, key, name)
    except Exception:  # the cache is down: work it out as if nothing were kept
        log.exception("results cache unreadable")
        return compute()
    if value is not _MISSING:
        return value
    with _working_out(store, key) as first:
        if not first:  # another thread or process worked it out meanwhile: read what it kept
            try:
                tokens, value = _read(store, gens, key, name)
            except Exception:
                log.exception("results cache unreadable")
                return compute()
            if value is not _MISSING:
                return value
        value = compute()
        try:
            # The value pickled apart from its tokens: an entry a write has made stale is found out
            # by its tokens alone, without unpickling a county's check only to throw it away (after
            # every write the next page read the stale entry whole first).
            kept_value = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            store.set(key, (tokens, kept_value), settings.TAIZHANG_RESULTS_SECONDS)
        except Exception:
            log.exception("results cache unwritable")
    return value


_MISSING = object()


def _read(store, gens: list[str], key: str, name: str):
    """The current tokens of ``gens`` and the value kept under ``key`` for them (``_MISSING`` when
    none is, or it is stale)."""
    try:
        found = store.get_many([*gens, key])
    except UNREADABLE:  # kept by an older version of the code (a class since moved): a miss
        log.warning("results cache: %s could not be read; worked out again", name)
        found = store.get_many(gens)
    tokens = _tokens(store, gens, found)
    kept = found.get(key)
    if kept is not None and kept[0] == tokens:
        try:
            return tokens, pickle.loads(kept[1])
        except UNREADABLE:
            log.warning("results cache: %s could not be read; worked out again", name)
    return tokens, _MISSING


# -- one computation at a time per result -------------------------------------------------------------

# After a write, the pages of the unit are asked for by several people at once, and each found the
# result stale: each worked the same check out again (a third of the computations under bench/load.py's
# hundred users were such repeats). The first to miss works it out; the others wait for it, then read
# what it kept. Threads of a process wait on a lock of the key; processes sharing the file cache on a
# lock file of the key's. A result's computation only ever asks for results below it (a unit page's
# panel → the unit's check → its subtree's), never back up, so no two wait on each other. Waiting is
# bounded: after WAIT_SECONDS the waiter works it out itself, as it would have without the lock; a
# lock file culled meanwhile costs the same, a second computation, never a wrong result.
WAIT_SECONDS = 20
_keys_lock = threading.Lock()
_key_locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()


@contextmanager
def _working_out(store, key: str):
    """Hold ``key``'s locks while working its result out; yields whether nobody had them (this is the
    first to miss) rather than having waited for another to finish."""
    with _keys_lock:
        lock = _key_locks.get(key)
        if lock is None:
            lock = _key_locks[key] = threading.Lock()
    first = lock.acquire(blocking=False)
    if not first and not lock.acquire(timeout=WAIT_SECONDS):
        yield False  # waited long enough: work it out anyway, unlocked
        return
    try:
        with _file_lock(store, key) as alone:
            yield first and alone
    finally:
        lock.release()


@contextmanager
def _file_lock(store, key: str):
    """The key's lock file held (``core.cache.FileCache``: the server's processes share its folder);
    yields whether it was free at once. Another cache shares no folder: nothing to hold."""
    lock_file = getattr(store, "lock_file", None)
    if lock_file is None:
        yield True
        return
    try:
        fd = os.open(lock_file(key), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield True
        return
    try:
        alone = _flock(fd, blocking=False)
        if not alone:
            waited = 0.0
            pause = 0.002
            while waited < WAIT_SECONDS and not _flock(fd, blocking=False):
                time.sleep(pause)
                waited += pause
                pause = min(pause * 2, 0.02)
        yield alone
    finally:
        os.close(fd)  # lets the lock go


def _flock(fd: int, *, blocking: bool) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def version(unit_id: int) -> str:
    """What the results of the scope of unit ``unit_id`` are computed from, as a short string that
    changes with every write there: for the key of a page fragment made of them (``{% cache %}``).
    A different string each time while this connection's own transaction has written (never kept)."""
    if not settings.TAIZHANG_RESULTS_CACHE or _writing():
        return _new_token()
    prefix = _prefix()
    gens = [_gen_key(prefix, EVERYTHING), _gen_key(prefix, unit_id)]
    store = _cache()
    try:
        # set when missing (no result of a county's own scope is kept without years: its matrix
        # looked its fragment up under a new version every time)
        tokens = _tokens(store, gens, store.get_many(gens))
    except Exception:
        log.exception("results cache unreadable")
        return _new_token()
    return "-".join(tokens)


def deployment() -> str | None:
    """The deployment's generation: moved by every write no unit owns (frameworks, requirements,
    their assignments, activity kinds, areas: ``note_vocabulary``), for what a process keeps of
    those between requests. None when nothing may be kept: no cache, or this connection's own
    transaction has written."""
    if not settings.TAIZHANG_RESULTS_CACHE or _writing():
        return None
    key, store = _gen_key(_prefix(), EVERYTHING), _cache()
    try:
        return _tokens(store, [key], store.get_many([key]))[0]
    except Exception:
        log.exception("results cache unreadable")
        return None


_kept_per_deployment: dict[str, dict] = {}  # the deployment's generation → what was read under it


def kept_per_deployment(token: str | None, key, compute):
    """``compute()`` once per process for ``key`` until the deployment's generation (``token``, from
    ``deployment()``) moves; every time when nothing may be kept (``token`` None). What is kept is
    shared between requests: read it, never change it."""
    if token is None:
        return compute()
    kept = _kept_per_deployment.get(token)
    if kept is None:
        _kept_per_deployment.clear()  # the previous generation's, never read again
        kept = _kept_per_deployment[token] = {}
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def vocabulary_rows(model: type) -> list:
    """Every row of a vocabulary table (``watch_vocabulary``: activity kinds, areas …), in its
    model's order, read once per process until the deployment's generation moves
    (``kept_per_deployment``)."""
    return kept_per_deployment(deployment(), model, lambda: list(model._default_manager.all()))


def _writing() -> bool:
    """Whether this connection is inside a transaction that has written what a result reads (compute
    without the cache). Notes left by a transaction that rolled back are flushed here."""
    connection = connections[DEFAULT_DB_ALIAS]
    pending = connection.__dict__.get(PENDING)
    if not pending:
        return False
    if connection.in_atomic_block:
        return True
    flush()
    return False


# -- writing ----------------------------------------------------------------------------------------


# A write touching more units than this (a bulk load) moves the deployment's generation instead of
# thousands of units' (each a write to the cache).
MANY_UNITS = 500
UNDATED = "u"
PENDING = "_taizhang_changes"  # the notes of a transaction, on its thread's database connection
# Records whose date decides which years' results read them (the year generations): activities,
# and through them their attendance and attachments. Every other record is undated here.
DATED = {"ledger.Activity": "date"}


@dataclass
class _Changes:
    # unit → the years of the activities written there (None: an undated record, or unknown)
    units: dict[int, set[int | None]] = field(default_factory=lambda: defaultdict(set))
    via: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))  # model → ids of rows
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.units or self.via or self.everything)


def changed(
    *,
    unit_ids: Iterable[int | None] = (),
    years: Iterable[int | None] = (None,),
    via: tuple[type, Iterable[int | None]] | None = None,
    everything: bool = False,
) -> None:
    """Note a write: in units ``unit_ids`` (of activities dated in ``years``; None: undated); in the
    units of rows ``via`` = (model, ids), each a row with a ``unit`` of its own (an attendance row's
    activity); or in what no unit owns (``everything``). The generations move when the transaction
    commits (at once outside one)."""
    connection = connections[DEFAULT_DB_ALIAS]  # this thread's (django.db.connection is a proxy)
    pending = connection.__dict__.get(PENDING)
    if pending is None:
        pending = connection.__dict__[PENDING] = _Changes()
    years = set(years)
    for unit in unit_ids:
        if unit is not None:
            pending.units[unit] |= years
    if via is not None:
        pending.via[via[0]].update(i for i in via[1] if i is not None)
    pending.everything |= everything
    # One callback per note: a savepoint rolled back drops its own, and those of the writes that
    # stand remain; the first to run flushes every note.
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Move the generations of the units noted on this connection and of every unit above them."""
    pending = connections[DEFAULT_DB_ALIAS].__dict__.pop(PENDING, None)
    if not pending or not settings.TAIZHANG_RESULTS_CACHE:
        return
    prefix = _prefix()
    token = _new_token()
    keys = {}
    if pending.everything:
        keys[_gen_key(prefix, EVERYTHING)] = token
    marks: dict[int, set[int | None]] = defaultdict(set)
    for unit, years in pending.units.items():
        marks[unit] |= years
    for model, ids in pending.via.items():
        dated = DATED.get(model._meta.label)
        rows = model._base_manager.filter(pk__in=ids)
        if dated:
            for unit, day in rows.values_list("unit_id", dated):
                marks[unit].add(_year(day))
        else:
            for unit in rows.values_list("unit_id", flat=True):
                marks[unit].add(None)
    marks.pop(None, None)
    above: dict[int, set[int | None]] = defaultdict(set)  # every unit above (and at) a written one
    for pk, path in units.unit_model()._base_manager.filter(pk__in=marks).values_list("pk", "path"):
        for unit in units.path_ids(path) or [pk]:
            above[unit] |= marks[pk]
    moved = set(above)
    if len(above) > MANY_UNITS:  # a bulk write across a city: everything goes, in one write
        above = {}
        keys[_gen_key(prefix, EVERYTHING)] = token
    for unit, years in above.items():
        keys[_gen_key(prefix, unit)] = token
        for year in years:
            keys[_gen_key(prefix, f"{unit}:{UNDATED if year is None else year}")] = token
    if not keys:
        return
    try:
        _cache().set_many(keys, None)
    except Exception:
        log.exception("results cache: generations of units %s not moved", sorted(moved))


def forget_everything() -> None:
    """Everything kept before is no longer current (a restored database, new code at start-up)."""
    changed(everything=True)


# -- the hooks --------------------------------------------------------------------------------------

IGNORED = "ignored"


@cache
def _route(model: type) -> tuple[str, type | None] | str | None:
    """How a record of ``model`` names its unit: (attname on the record, None) for the record's own
    unit (the unit itself for a unit), (attname, model) for a record whose unit is that of the row
    it points to (attendance → activity); ``IGNORED`` for records no result reads; None: no unit
    (a write there invalidates everything)."""
    Unit = units.unit_model()
    if model._meta.label in UNREAD:
        return IGNORED
    if issubclass(model, Unit):
        return ("pk", None)
    fields = {f.name: f for f in model._meta.concrete_fields if f.is_relation}
    unit = fields.get("unit")
    if unit is not None and issubclass(unit.related_model, Unit):
        return (unit.attname, None)
    for relation in fields.values():
        target = relation.related_model
        owner = next((f for f in target._meta.concrete_fields if f.name == "unit" and f.is_relation), None)
        if owner is not None and issubclass(owner.related_model, Unit):
            return (relation.attname, target)
    return None


def note_records(model: type, records: Iterable) -> None:
    """Rows of ``model`` written without a history entry (``bulk_create``, ``bulk_update``): note
    their units."""
    route = _route(model)
    if route == IGNORED:
        return
    if route is None:
        changed(everything=True)
        return
    attname, via = route
    dated = DATED.get(model._meta.label)
    for record in records:
        _note(via, [getattr(record, attname)], _year(getattr(record, dated)) if dated else None)


def note_rows(queryset, changes: dict) -> None:
    """``queryset.update(**changes)`` is about to write without history (only ``record_update``
    writes its entries itself): note the units of the rows it selects, and the unit it moves them
    to."""
    route = _route(queryset.model)
    if route == IGNORED:
        return
    if route is None:
        changed(everything=True)
        return
    attname, via = route
    dated = DATED.get(queryset.model._meta.label)
    if dated:
        rows = set(queryset.values_list(attname, dated))
        for value, day in rows:
            _note(via, [value], _year(day))
    else:
        rows = {(value, None) for value in queryset.values_list(attname, flat=True)}
        _note(via, [value for value, _ in rows])
    model = queryset.model
    field = model._meta.pk if attname == "pk" else model._meta.get_field(attname)
    for name in {field.name, field.attname} & set(changes):
        target = getattr(changes[name], "pk", changes[name])
        if not isinstance(target, int):  # an expression: wherever it leads
            changed(everything=True)
            continue
        for _, day in rows or [(None, None)]:
            _note(via, [target], _year(day))
    if dated and dated in changes:  # moved to another day: the units' results of that year too
        day = changes[dated]
        if not hasattr(day, "year"):
            changed(everything=True)
        else:
            _note(via, {value for value, _ in rows}, day.year)


def _year(day) -> int | None:
    return day.year if day else None


def _note(via: type | None, values: Iterable[int | None], year: int | None = None) -> None:
    if via is None:
        changed(unit_ids=values, years=[year])
    else:
        changed(via=(via, values))


def note_history(sender, instance, history_instance, **kwargs) -> None:
    """django-simple-history wrote an entry for ``instance``: note the unit it belongs to (and the one
    it belonged to before, when an edit may have moved it)."""
    route = _route(type(instance))
    if route == IGNORED:
        return
    if route is None:
        changed(everything=True)
        return
    attname, via = route
    value = getattr(instance, attname)
    if via is not None:
        changed(via=(via, [value]))
        return
    dated = DATED.get(type(instance)._meta.label)
    year = _year(getattr(instance, dated)) if dated else None
    changed(unit_ids=[value], years=[year])
    if attname != "pk" and history_instance.history_type == "~":
        # a person moved to another unit leaves the first one; an activity moved to another year, that year
        before = history_instance.prev_record
        if before is not None:
            earlier = _year(getattr(before, dated)) if dated else None
            if (getattr(before, attname), earlier) != (value, year):
                changed(unit_ids=[getattr(before, attname)], years=[earlier])


def note_vocabulary(sender, **kwargs) -> None:
    """A framework, requirement, assignment, activity kind or area changed: every result may read it."""
    changed(everything=True)


def connect() -> None:
    """Called once by ``core.apps``: the signals that note writes."""
    from django.db.models.signals import post_migrate
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(note_history, dispatch_uid="taizhang-stamps-history")
    post_migrate.connect(note_vocabulary, dispatch_uid="taizhang-stamps-migrate")


def watch_vocabulary(*models: type) -> None:
    """Called by the apps that own a vocabulary every result may read (``org``: areas; ``ledger``:
    activity kinds; ``rules``: frameworks, their requirements and assignments) when they are ready:
    a change to one of its rows moves the deployment's token."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(note_vocabulary, sender=model, dispatch_uid=f"taizhang-stamps-{model.__name__}")
