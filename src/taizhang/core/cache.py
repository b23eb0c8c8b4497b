"""The file cache every server process of one machine shares by default (``settings.CACHES``).

Django's ``FileBasedCache`` lists its whole directory on every write to decide whether to cull: with
a few thousand entries that is tens of milliseconds, and a write to the ledger moves several
generations (``core.stamps``: the unit and those above it, for the year written), each one a cache
write. This one culls at most once a minute per process; between two culls the directory may grow
past ``MAX_ENTRIES`` by what the processes write meanwhile, and the next cull takes it back down.
"""

from __future__ import annotations

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_SECONDS = 60
_culled: dict[str, float] = {}  # directory → when this process last culled it (monotonic)


class FileCache(FileBasedCache):
    def _cull(self):
        now = time.monotonic()
        if now - _culled.get(self._dir, -CULL_SECONDS) < CULL_SECONDS:
            return
        _culled[self._dir] = now
        super()._cull()
