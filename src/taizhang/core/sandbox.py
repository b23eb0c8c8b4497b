"""Running a file's reader in a child process that may die without taking its parent along (pure).

A reader parsing a file someone else made runs code (calamine's Rust, lxml's C, PyYAML) on input
chosen by that someone. A workbook of 1.5 KB can make calamine allocate terabytes and abort; a
.docx of 1 MB can unpack to millions of paragraphs. In a gunicorn worker that is a dead worker and
a reset connection for everyone it was serving; in a command, a traceback or a SIGABRT. So a reader
runs in a forked child with its own limits:

- ``RLIMIT_AS``: the address space the child inherits plus ``Budget.memory_bytes``; an allocation
  past it fails (MemoryError in Python, an abort in Rust) inside the child only;
- a wall-clock budget, ``Budget.seconds``, counted while the parent waits for the child (a parent
  busy with rows already sent does not use up the child's time), and ``RLIMIT_CPU`` as a backstop;
- ``RLIMIT_CORE`` 0 (an abort writes no core file) and ``RLIMIT_FSIZE`` 0 (a reader writes no file).

``call`` returns the function's value; ``stream`` yields a generator's items as the child makes
them (rows of a sheet, in batches through a pipe), so a million rows are never held twice. An
exception the reader raises is raised again in the parent; a child that ran out of memory or time
or died of a signal becomes ``Exceeded``, which callers turn into one line naming the file.

Why ``fork`` rather than ``forkserver`` or ``spawn``: the child starts with the parent's modules
already imported, so starting one costs about a millisecond plus the copy-on-write of what it
touches, against tens of milliseconds (forkserver) or a second (spawn, importing Django again) for
each upload. Forking a threaded process (a gthread worker) is safe here because the child only runs
the reader on data it was handed and ``os._exit``\\ s: it touches no lock, connection or logger
another thread may have held at the fork (the reader's modules are imported before forking).

What comes back is unpickled with an allow-list (builtins' plain types and exceptions, datetime,
decimal, taizhang's own classes): even a reader subverted by its input cannot make the parent run
code by what it sends.
"""

from __future__ import annotations

import io
import math
import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from taizhang.core.slots import stepped_aside

BATCH = 2000  # items of a stream per message
_HEADER = struct.Struct(">BQ")  # kind, length
_VALUE, _ITEMS, _RAISE, _FAILED, _END = range(5)
_MEMORY_EXIT = 97  # the child's exit status when Python itself ran out of memory


@dataclass(frozen=True)
class Budget:
    """What a reader may use: address space beyond what the child inherits, and wall seconds."""

    memory_bytes: int
    seconds: float


@dataclass(frozen=True)
class Usage:
    """What one child used: wall and CPU seconds, its peak resident set, and the parent's resident set
    when it forked (the child's peak counts the pages it shares with the parent: ``added`` is its own)."""

    seconds: float
    cpu_seconds: float
    peak_bytes: int
    parent_bytes: int
    outcome: str  # "ok", "raised", "memory", "time", "crashed", "abandoned"

    @property
    def added_bytes(self) -> int:
        return max(0, self.peak_bytes - self.parent_bytes)


class Exceeded(Exception):
    """The child ran out of memory (``reason`` "memory") or time ("time"), or died ("crashed")."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


class ChildError(RuntimeError):
    """The reader raised an exception that could not be sent back whole: a bug, said loudly."""


_observers: list[list[Usage]] = []


@contextmanager
def observed() -> Iterator[list[Usage]]:
    """Collect the ``Usage`` of every child started inside the block (tests and benchmarks)."""
    seen: list[Usage] = []
    _observers.append(seen)
    try:
        yield seen
    finally:
        _observers.remove(seen)


def call(function: Callable[..., Any], *args: Any, budget: Budget, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` run in a child under ``budget``; its value, or its exception."""
    for value in _run(function, args, kwargs, budget, streaming=False):
        return value
    raise ChildError("the child ended without a value")  # pragma: no cover (the protocol sends one)


def stream(
    function: Callable[..., Iterator[Any]], *args: Any, budget: Budget, **kwargs: Any
) -> Iterator[Any]:
    """The items of the generator ``function(*args, **kwargs)`` run in a child under ``budget``.

    Closing the iterator early (a consumer that stops reading) kills the child."""
    return _run(function, args, kwargs, budget, streaming=True)


def _run(function, args, kwargs, budget: Budget, *, streaming: bool) -> Iterator[Any]:
    parent_bytes = _resident_bytes()
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, function, args, kwargs, budget, streaming)
    os.close(write_end)
    outcome = "died"  # until the child says otherwise
    status = rusage = None
    try:
        with io.FileIO(read_end, "rb", closefd=True) as pipe:
            waited = 0.0
            while True:
                with stepped_aside():  # the request's slot to others while the child reads
                    frame, waited = _frame(pipe, budget.seconds, waited)
                if frame is None:  # the child ended before it said it was done
                    break
                kind, payload = frame
                if kind == _ITEMS:
                    yield from _loads(payload)
                elif kind == _VALUE:
                    outcome = "ok"
                    yield _loads(payload)
                    break
                elif kind == _END:
                    outcome = "ok"
                    break
                elif kind == _RAISE:
                    outcome = "raised"
                    raise _loads(payload)
                else:
                    outcome = "raised"
                    raise ChildError(payload.decode("utf-8", "replace"))
    except _Timeout:
        outcome = "time"
    except GeneratorExit:  # the consumer stopped reading (or, after a value, has what it wanted)
        if outcome != "ok":
            outcome = "abandoned"
        raise
    finally:
        if outcome not in ("ok", "raised"):
            _kill(pid)
        _, status, rusage = os.wait4(pid, 0)
        if outcome == "died":
            outcome = _cause(status)
        usage = Usage(
            seconds=time.monotonic() - started,
            cpu_seconds=rusage.ru_utime + rusage.ru_stime,
            peak_bytes=rusage.ru_maxrss * 1024,
            parent_bytes=parent_bytes,
            outcome=outcome,
        )
        for seen in _observers:
            seen.append(usage)
    if outcome in ("memory", "time"):
        raise Exceeded(outcome)
    if outcome == "crashed":
        raise Exceeded("crashed", _describe(status))


class _Timeout(Exception):
    pass


def _frame(pipe: io.FileIO, seconds: float, waited: float) -> tuple[tuple[int, bytes] | None, float]:
    """The next (kind, payload) from the child, or None at end of file; _Timeout once the parent has
    waited ``seconds`` in all."""
    header, waited = _read_exactly(pipe, _HEADER.size, seconds, waited)
    if header is None:
        return None, waited
    kind, length = _HEADER.unpack(header)
    payload, waited = _read_exactly(pipe, length, seconds, waited)
    if payload is None:
        return None, waited
    return (kind, payload), waited


def _read_exactly(pipe: io.FileIO, size: int, seconds: float, waited: float) -> tuple[bytes | None, float]:
    chunks, left = [], size
    poller = select.poll()  # not select(): a busy worker's descriptors may number past FD_SETSIZE
    poller.register(pipe.fileno(), select.POLLIN)
    while left:
        begin = time.monotonic()
        ready = poller.poll(max(0.0, seconds - waited) * 1000)
        waited += time.monotonic() - begin
        if not ready:
            raise _Timeout
        chunk = pipe.read(min(left, 1 << 20))
        if not chunk:
            return None, waited
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks), waited


def _child(write_end: int, function, args, kwargs, budget: Budget, streaming: bool) -> None:
    """Run the reader and send what it gives; leave by ``os._exit`` whatever happens."""
    code = 0
    try:
        _quiet()
        _limit(budget)
        out = io.FileIO(write_end, "wb", closefd=False)
        try:
            if streaming:
                batch: list = []
                for item in function(*args, **kwargs):
                    batch.append(item)
                    if len(batch) >= BATCH:
                        _send(out, _ITEMS, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
                        batch = []
                if batch:
                    _send(out, _ITEMS, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
                _send(out, _END, b"")
            else:
                value = function(*args, **kwargs)
                _send(out, _VALUE, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except MemoryError:
            code = _MEMORY_EXIT
        except BrokenPipeError:
            code = 0  # the parent stopped reading: nothing to say
        except Exception as exc:  # what the reader raised, for the parent to raise again
            try:
                data = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
                _loads(data)  # the parent must be able to read it back
                _send(out, _RAISE, data)
            except Exception:
                import traceback

                _send(out, _FAILED, "".join(traceback.format_exception(exc)).encode("utf-8", "replace"))
        except BaseException:  # a Rust panic (pyo3's PanicException), SystemExit …: the child failed
            code = 98
    except MemoryError:
        code = _MEMORY_EXIT
    except BaseException:
        code = 99
    finally:
        os._exit(code)


def _send(out: io.FileIO, kind: int, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, len(payload)) + payload)
    while data:
        written = out.write(data)
        data = data[written:]


def _quiet() -> None:
    """The child writes nothing to the parent's terminal or log: Rust's abort message, a library's
    warning would otherwise appear as stray lines beside the one line of refusal."""
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    os.close(null)
    # The parent's handlers (gunicorn's for SIGTERM, SIGQUIT, SIGABRT …, a command's for SIGINT) are
    # not the child's: a signal ends it, as Ctrl+C in a terminal or a stopping server should.
    for number in signal.valid_signals():
        if callable(signal.getsignal(number)):
            signal.signal(number, signal.SIG_DFL)


def _limit(budget: Budget) -> None:
    size = _virtual_bytes() + budget.memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    cpu = max(1, math.ceil(budget.seconds))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu + 1:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _statm(field: int) -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[field]) * resource.getpagesize()
    except OSError:  # not Linux: no /proc; the limits still apply, from zero
        return 0


def _virtual_bytes() -> int:
    return _statm(0)


def _resident_bytes() -> int:
    return _statm(1)


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):  # already gone
        os.kill(pid, signal.SIGKILL)


def _cause(status: int) -> str:
    """Why a child that never said it was done ended: out of memory, out of time, or otherwise."""
    if os.WIFEXITED(status):
        return "memory" if os.WEXITSTATUS(status) == _MEMORY_EXIT else "crashed"
    sig = os.WTERMSIG(status)
    if sig == signal.SIGXCPU:  # RLIMIT_CPU
        return "time"
    if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL):
        # Rust aborts when an allocation fails, and so does C code that does not check malloc;
        # the kernel's OOM killer sends SIGKILL. Under RLIMIT_AS these mean: out of memory.
        return "memory"
    return "crashed"


def _describe(status: int | None) -> str:
    if status is None:
        return ""
    if os.WIFSIGNALED(status):
        return signal.Signals(os.WTERMSIG(status)).name
    return f"exit {os.WEXITSTATUS(status)}"


# -- what may come back -------------------------------------------------------------------------

_PLAIN = {
    "bool", "int", "float", "complex", "str", "bytes", "bytearray", "list", "tuple", "dict", "set",
    "frozenset", "slice", "range",
}  # fmt: skip
_MODULES = ("datetime", "decimal", "collections", "taizhang.")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = super().find_class(module, name)
        if module == "builtins":
            if name in _PLAIN or (isinstance(found, type) and issubclass(found, BaseException)):
                return found
        elif (module in _MODULES or module.startswith(_MODULES[-1])) and isinstance(found, type):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} may not come back from a reader")


def _loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()
