"""``taizhang`` on an empty PostgreSQL database: one Chinese line, exit 2, nothing written.

Apart from tests/test_cli.py, whose commands run on SQLite (they remove DATABASE_URL), so that the
PostgreSQL pass of .ci/run can leave that file out and still run this.
"""

from __future__ import annotations

import os

import pytest

from tests.test_cli import H1, NOT_SET_UP, _environment, refusals

pytestmark = pytest.mark.slow


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the PostgreSQL pass only"
)
def test_an_empty_postgresql_database_is_not_set_up(tmp_path):
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"{url.rsplit('/', 1)[1]}_cli_empty"
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            env = _environment(tmp_path, DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name)
            assert refusals([(env, tmp_path, ["ledger", "counts", *H1], NOT_SET_UP)]) == []
        finally:
            admin.execute(f'DROP DATABASE "{name}"')
