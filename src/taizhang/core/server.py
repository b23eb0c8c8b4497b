"""gunicorn's gthread worker, with a timeout that also stops a stuck request.

gunicorn's timeout works by heartbeat: each worker touches a file every second or so and the arbiter
kills a worker whose file has not been touched for ``timeout`` seconds. A sync worker handles its
request in the loop that touches the file, so a stuck request stops the heartbeat and the worker is
killed. A gthread worker (``taizhang serve``) handles requests in a pool of threads while its main
loop keeps touching the file: a request stuck for eight minutes (a fact-check upload of a 3-million
paragraph .docx, before its reader ran in a child process) never stops the heartbeat, so the
timeout never fires and the thread and its memory are held until the worker is recycled.

``TimedThreadWorker`` notes when each thread's request began and stops the heartbeat once one has
run for half the timeout; the arbiter then kills the worker ``timeout`` seconds later, as it would
kill a stuck sync worker. A request that finishes in time resumes the heartbeat before the arbiter
looks. File readers have their own, shorter time limit (``core.sandbox``), so an upload is refused
in a page long before this happens; this is the net under everything else.

Of a worker's threads only ``RUNNING`` run a request at once, the others waiting their turn in order,
a member's sign-in first (``core.slots``, where the measurements are).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time

from django.conf import settings
from django.urls import reverse
from gunicorn.workers.gthread import ThreadWorker

from taizhang.core.slots import Slots

# Requests of a worker that run at once (``core.slots``); ``taizhang serve --running`` sets it in the
# master, and the workers it forks start with it. None: as many as threads.
RUNNING: int | None = None


@functools.cache
def _paths() -> tuple[str, str]:
    """(a member's QR sign-in, ahead of the pages waiting; static files, served without waiting for
    a slot: a page's styles and scripts come at once, from memory). Read at the first request (the
    app, and Django with it, is loaded by then; not always when a worker starts)."""
    return reverse("ledger:sign-in", args=["-"])[:-2], "/" + settings.STATIC_URL.lstrip("/")


def lane(path: str) -> str | None:
    """How a request to ``path`` waits in a worker with slots: "sign-in", "page", or None (no slot)."""
    sign_in, static = _paths()
    if path.startswith(static):
        return None
    return "sign-in" if path.startswith(sign_in) else "page"


class TimedThreadWorker(ThreadWorker):
    def init_process(self):
        self.requests_started: dict[int, float] = {}  # thread → when its request began (monotonic)
        self.slots = Slots(RUNNING) if RUNNING else None
        super().init_process()

    def handle_request(self, req, conn):
        waits = lane(req.path) if self.slots else None
        with self.slots.taken(urgent=waits == "sign-in") if waits else contextlib.nullcontext():
            thread = threading.get_ident()
            self.requests_started[thread] = time.monotonic()
            try:
                return super().handle_request(req, conn)
            finally:
                self.requests_started.pop(thread, None)

    def notify(self):
        started = list(getattr(self, "requests_started", {}).values())  # a copy: threads change it
        if started and time.monotonic() - min(started) > self.cfg.timeout / 2:
            return  # a request is stuck: no heartbeat, and the arbiter kills this worker
        super().notify()
