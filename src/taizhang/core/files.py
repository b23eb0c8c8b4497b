"""Writing a file so that it is either the whole new document or not there at all.

A document is first written to a hidden temporary file beside its target, flushed to disk, then
renamed over the target in one step (rename within a directory is atomic on POSIX). A process
killed mid-write, or a full disk, leaves the old file (or none) in place, never half a document;
only the hidden ``.name-….part`` file can remain after a hard kill, and it is never mistaken for
the document.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; on success it becomes ``path``.

    For writers that want a file name (openpyxl's ``save``, LibreOffice); the temporary file keeps
    the target's suffix so such writers recognise the format. On any exception it is removed.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=f".part{path.suffix}")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        # mkstemp creates the file 0600; a document gets the permissions a plain write would give it.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (see the module's docstring)."""
    with replacing(path) as temporary:
        temporary.write_bytes(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
