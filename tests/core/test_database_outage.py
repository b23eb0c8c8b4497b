"""The database goes away under a running server: users read a Chinese 503 page, monitors read
``/healthz`` 503, nothing answers 500, and everything works again once the database is back.

The server is ``taizhang serve`` in a subprocess. On PostgreSQL it reaches the (shared) server through
a TCP relay of the test's own, which the test cuts and restores: the server process sees exactly what
a network failure or a PostgreSQL restart looks like, and the shared server is never touched. On
SQLite the test moves the database file away and back, as an administrator restoring a backup would.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from tests.live import Browser, call, environment, free_port, load_demo, on_postgres, serving

pytestmark = pytest.mark.slow
PASSWORD = "taizhang-demo"
ACTIVITY = {"unit": "cppcc", "kind": "seminar", "date": "2025-03-05", "minutes": "记录"}


class Relay:
    """A TCP relay 127.0.0.1:<port> → PostgreSQL that can be cut (every connection dropped) and restored."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and drop the open ones, as a dead server or network would."""
        with self.lock:
            for sock in [self.listener, *self.sockets]:  # shutdown wakes a thread blocked in accept()
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def outage(tmp_path):
    """(server environment, take the database away, bring it back)."""
    env = environment(tmp_path, suffix="outage")
    if on_postgres():
        import dj_database_url

        config = dj_database_url.parse(env["DATABASE_URL"])
        relay = Relay((config["HOST"] or "127.0.0.1", int(config["PORT"] or 5432)))
        relay.start()
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"{config['HOST']}:{config['PORT']}", f"127.0.0.1:{relay.port}"
        )
        assert str(relay.port) in env["DATABASE_URL"]
        yield env, relay.cut, relay.start
        relay.cut()
        return
    database = tmp_path / "taizhang.sqlite3"
    away = tmp_path / "away.sqlite3"

    def take_away():
        database.rename(away)

    def bring_back():
        away.rename(database)

    yield env, take_away, bring_back


def test_pages_and_health_answer_503_while_the_database_is_away_and_recover(outage, tmp_path):
    env, take_away, bring_back = outage
    load_demo(env)
    with serving(env, tmp_path / "serve.log") as port:
        # Up: the health check answers without a login; a logged-in user reads pages and the API.
        assert call(port, "GET", "/healthz") == (200, {"status": "ok", "database": "ok"})
        user = Browser(port)
        user.login("cppcc-clerk", PASSWORD)
        assert user.open("/ledger/activities/")[0] == 200
        status, data = call(port, "POST", "/api/token/", {"username": "cppcc-clerk", "password": PASSWORD})
        assert status == 200, data
        token = data["token"]
        assert call(port, "GET", "/api/activities/", token=token)[0] == 200

        take_away()
        try:
            for _ in range(3):  # every worker and thread, whatever connection it held
                status, page, headers = user.open("/ledger/activities/")
                assert status == 503, page[:300]
                assert "暂时无法访问" in page and "数据库暂时无法访问" in page
                assert headers["Retry-After"].isdigit()
                assert "Traceback" not in page
                status, data = call(port, "GET", "/api/activities/", token=token)
                assert status == 503 and "数据库暂时无法访问" in data["detail"], data
                status, data = call(
                    port, "POST", "/api/activities/", {**ACTIVITY, "topic": "停机时登记"}, token=token
                )
                assert status == 503, data
                assert call(port, "GET", "/healthz") == (
                    503,
                    {"status": "unavailable", "database": "unavailable"},
                )
            if not on_postgres():  # nothing created an empty database where the real one belongs
                assert not (tmp_path / "taizhang.sqlite3").exists()
        finally:
            bring_back()

        # Back: the same users, the same sessions, without restarting anything.
        assert call(port, "GET", "/healthz") == (200, {"status": "ok", "database": "ok"})
        for _ in range(6):
            status, page, _ = user.open("/ledger/activities/")
            assert status == 200, page[:300]
            assert call(port, "GET", "/api/activities/", token=token)[0] == 200
        status, created = call(
            port, "POST", "/api/activities/", {**ACTIVITY, "topic": "恢复后登记"}, token=token
        )
        assert status == 201, created
        status, listed = call(port, "GET", "/api/activities/?unit=cppcc&period=2025", token=token)
        assert [a["topic"] for a in listed["results"]] == ["恢复后登记"]  # and nothing from the outage

        # A restart nobody saw (no request while it was down): every kept connection is stale, and
        # still the very next requests succeed.
        take_away()
        bring_back()
        for _ in range(6):
            status, page, _ = user.open("/ledger/activities/")
            assert status == 200, page[:300]


def test_health_needs_no_login_and_says_nothing_more(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
