"""The hostile files, made once for the whole suite (about ten seconds) into a directory of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.files import make_all


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("hostile"))
