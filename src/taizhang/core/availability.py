"""Is the database there? The health check, and the 503 page every request gets while it is not.

A database that goes away (PostgreSQL restarting, the network to it cut, the SQLite file moved
away during a restore) is an outage, not a bug in the request: the user reads a Chinese page saying
to try again shortly (503 with ``Retry-After``), monitors read ``/healthz``, and both recover on
their own once the database answers again, because Django drops a connection that raised and opens
a new one on the next request.

SQLite needs two extra cares. Opening a missing file creates an empty database, so a request that
arrives while the file is away would leave an empty file where the restore is about to go; and a
connection opened before the file was replaced keeps reading the old one. ``SqliteFileMiddleware``
checks the file before each request for both.
"""

from __future__ import annotations

import json
import os

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

RETRY_AFTER_SECONDS = 30
MESSAGE = "数据库暂时无法访问，请稍后再试；如果问题持续，请联系系统管理员。"

# What a request raises when the database is away: psycopg's connection and server errors, SQLite's
# "unable to open" / "no such table" (an empty file), both wrapped by Django in these two classes.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def _sqlite_file(conn) -> str | None:
    """The path of an on-disk SQLite database, None for PostgreSQL or an in-memory test database."""
    if conn.vendor != "sqlite" or conn.is_in_memory_db():
        return None
    return str(conn.settings_dict["NAME"])


def _remember_file(sender, connection, **kwargs) -> None:
    """Note which file (inode) a new SQLite connection opened, to notice when it is replaced."""
    path = _sqlite_file(connection)
    if path is not None:
        try:
            connection.taizhang_inode = os.stat(path).st_ino
        except OSError:
            connection.taizhang_inode = None


connection_created.connect(_remember_file, dispatch_uid="taizhang-sqlite-inode")


def sqlite_file_present(conn=connection) -> bool:
    """False when the SQLite file is missing (never let SQLite create an empty one in its place).

    A connection to a file that has since been replaced (a restore, a file moved back) is closed
    here, so this request opens the file that is there now.
    """
    path = _sqlite_file(conn)
    if path is None:
        return True
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        conn.close()
        return False
    if conn.connection is not None and getattr(conn, "taizhang_inode", inode) != inode:
        conn.close()
    return True


def database_answers() -> bool:
    """True when the application's database answers a query against one of its own tables."""
    if not sqlite_file_present():
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()  # the next check opens a fresh connection
        return False
    return True


def unavailable_response(request) -> HttpResponse:
    """The 503 a user (HTML) or an API client (JSON) reads; rendered without touching the database."""
    if request.path.startswith("/api/"):
        body, content_type = json.dumps({"detail": MESSAGE}, ensure_ascii=False), "application/json"
    else:
        body, content_type = render_to_string("503.html", {"message": MESSAGE}), "text/html; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def health_response() -> JsonResponse:
    """``/healthz``: 200 when the database answers, 503 when it does not; nothing else about the server."""
    if database_answers():
        response = JsonResponse({"status": "ok", "database": "ok"})
    else:
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    response["Cache-Control"] = "no-store"
    return response


class SqliteFileMiddleware:
    """Answer 503 while the SQLite file is missing, before anything opens (and so creates) it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not sqlite_file_present():
            if request.path_info == reverse("healthz"):
                return health_response()
            return unavailable_response(request)
        return self.get_response(request)
