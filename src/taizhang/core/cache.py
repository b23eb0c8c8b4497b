"""The file cache every server process of one machine shares by default (``settings.CACHES``).

Django's ``FileBasedCache`` lists its whole directory on every write to decide whether to cull: with
a few thousand entries that is tens of milliseconds, and a write to the ledger moves several
generations (``core.stamps``: the unit and those above it, for the year written), each one a cache
write. This one culls at most once a minute per process; between two culls the directory may grow
past ``MAX_ENTRIES`` by what the processes write meanwhile, and the next cull takes it back down.

Its directory is made by the first write (Django's ``set`` makes it anyway), not when the cache is
opened: a command refused before it does anything (no database yet) leaves no empty ``var/cache``.
"""

from __future__ import annotations

import os
import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_SECONDS = 60
_culled: dict[str, float] = {}  # directory → when this process last culled it (monotonic)


class FileCache(FileBasedCache):
    def __init__(self, dir, params):
        super(FileBasedCache, self).__init__(params)
        self._dir = os.path.abspath(dir)

    def _cull(self):
        now = time.monotonic()
        if now - _culled.get(self._dir, -CULL_SECONDS) < CULL_SECONDS:
            return
        _culled[self._dir] = now
        super()._cull()
