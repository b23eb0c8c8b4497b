"""One cache for what is read from files (pure: no Django): a reader's result is kept per version of
the files it reads, their modification times, so an edited framework file (the requirements, the
phrases, the vocabulary, the timeline, the protected words) applies to the next call, with no restart.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any


def file_times(*paths: Path | str) -> tuple[int, ...]:
    """Each file's modification time in nanoseconds; 0 for a file that is not there."""
    times = []
    for path in paths:
        try:
            times.append(os.stat(path).st_mtime_ns)
        except FileNotFoundError:
            times.append(0)
    return tuple(times)


def kept_while_unchanged(*, files: Callable[..., Iterable[Path | str]], maxsize: int = 8):
    """Keep the decorated reader's result per its arguments (hashable) and the modification times of
    ``files(*arguments)``, the files it reads: read again once one of them changes."""

    def decorate(read: Callable[..., Any]) -> Callable[..., Any]:
        @lru_cache(maxsize=maxsize)
        def kept(_times: tuple[int, ...], args: tuple, kwargs: tuple) -> Any:
            return read(*args, **dict(kwargs))

        @functools.wraps(read)
        def reader(*args, **kwargs):
            return kept(file_times(*files(*args, **kwargs)), args, tuple(sorted(kwargs.items())))

        return reader

    return decorate
