"""A document on disk is the old one or the whole new one: never half, whatever stops the writer."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command

from taizhang.core import files
from taizhang.ledger.models import Activity

OLD = b"the document as it was before"


def test_a_complete_write_replaces_the_file_with_a_plain_files_permissions(tmp_path):
    target = tmp_path / "summary.docx"
    target.write_bytes(OLD)
    files.write_atomically(target, b"the new document")
    assert target.read_bytes() == b"the new document"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.docx"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_writer_killed_mid_write_leaves_the_old_file_in_place(tmp_path):
    target = tmp_path / "summary.docx"
    target.write_bytes(OLD)
    script = textwrap.dedent(
        """
        import os, signal, sys
        from taizhang.core.files import replacing
        with replacing(sys.argv[1]) as temporary:
            with open(temporary, "wb") as handle:
                handle.write(b"the first half of a new")
                handle.flush()
                os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, timeout=60)
    assert result.returncode == -9
    assert target.read_bytes() == OLD
    # Only a hidden partial file can stay behind, never under the document's name.
    assert all(p.name.startswith(".summary-") for p in tmp_path.iterdir() if p != target)


def test_a_disk_that_fills_up_leaves_the_old_file_and_no_partial_one(tmp_path):
    target = tmp_path / "summary.docx"
    target.write_bytes(OLD)
    with pytest.raises(OSError), files.replacing(target) as temporary:
        temporary.write_bytes(b"the first half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["summary.docx"]


def disk_full(fd):
    """os.fsync when the disk filled while the file was written (the kernel reports it at the flush)."""
    raise OSError(errno.ENOSPC, "No space left on device")


def _writes(activity_id: int) -> list[tuple[str, list[str]]]:
    h1 = ["--unit", "cppcc", "--period", "2020H1"]
    return [
        ("score.xlsx", ["score", *h1, "-o"]),
        ("summary.docx", ["report", "summary", *h1, "-o"]),
        ("summary.md", ["report", "summary", *h1, "-o"]),
        ("bulletin.docx", ["report", "bulletin", *h1, "-o"]),
        ("ledger.xlsx", ["export", "ledger", *h1, "-o"]),
        ("archive.docx", ["export", "archive", *h1, "-o"]),
        ("record.docx", ["export", "record", "--activity", str(activity_id), "-o"]),
        ("signin.docx", ["export", "signin", "--activity", str(activity_id), "-o"]),
    ]


def test_every_command_that_writes_a_file_keeps_the_old_one_when_the_disk_is_full(
    cppcc, tmp_path, monkeypatch
):
    """The disk fills as the file is flushed: each command says so in one line and the file it was
    replacing is untouched (a command writing straight into its target would have truncated it)."""
    activity = Activity.objects.filter(unit=cppcc).first()
    targets = _writes(activity.pk)
    for name, _ in targets:
        (tmp_path / name).write_bytes(OLD)

    monkeypatch.setattr(files.os, "fsync", disk_full)
    for name, argv in targets:
        with pytest.raises(CommandError) as refused:
            call_command(*argv, str(tmp_path / name))
        assert str(refused.value) == f"无法写入“{tmp_path / name}”：No space left on device", name
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {name: OLD for name, _ in targets}


def test_a_batch_on_a_full_disk_leaves_no_partial_summary(cppcc, tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "fsync", disk_full)
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="无法写入"):
        call_command(
            "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--with-children",
            "--out-dir", str(out), "--jobs", "1",
        )  # fmt: skip
    assert list(out.iterdir()) == []
