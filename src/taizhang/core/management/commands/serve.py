"""Serve the web app: gunicorn with WhiteNoise for static files, or Django's server with ``--dev``.

gunicorn runs several worker processes, each with a few threads (``gthread``, with a timeout that
also stops a stuck request: ``core.server``), so a slow page or a document being written does not
hold up everyone else, and a worker that dies is replaced. Each worker is replaced after about
twenty thousand requests (``max_requests`` with jitter, so they do not all restart at once), which
returns whatever memory a long run has fragmented; uploads are read in a child process of their own
(``core.uploads``), so no file can take a worker down. The
default worker count follows the machine (one a core, at least 2, at most 9) with 8 threads each,
of which 2 run a request at once while the others wait their turn in order, a member's QR sign-in
first (``core.slots``; measured: README); ``--workers``, ``--threads`` and ``--running`` override them.
On SQLite every process writes through immediate transactions and a busy timeout (settings.py),
its threads taking turns (``core.sqlite_backend``), so concurrent writers queue instead of failing.
"""

from __future__ import annotations

import os

from django.core.management import call_command

from taizhang.core import stamps
from taizhang.core.management.base import TaizhangCommand, UsageError

# Measured with bench/load.py on 2 cores (README, "How taizhang serve serves"): 2 processes of 8
# threads served the mix at least as fast as 5 of 4 in three pairs of runs, and without the 503 a
# writer of the 5 × 4 server met waiting out SQLite's lock.
DEFAULT_THREADS = 8
# …of which this many run at once, the others waiting their turn in order (``core.slots``). Measured
# with bench/load.py (README): 2 served 100 users 118 requests a second at a p99 of 0.96 s against
# 102 at 1.2 s for all 8 running, and the sign-in surge at a p99 of 0.21 s (sign-ins go first).
DEFAULT_RUNNING = 2
# Each worker is replaced after about this many requests (with a quarter of it as jitter, so they go
# one at a time), which returns whatever memory a long run has fragmented.
MAX_REQUESTS = 20_000


def default_workers() -> int:
    """One process per core (Python runs on one core at a time per process), at least 2 so that a
    worker being replaced never leaves the site without one, at most 9."""
    return max(2, min(os.cpu_count() or 1, 9))


def warm() -> None:
    """Import every view and compile every template once, in gunicorn's master: each worker it forks
    (and each one it forks anew after ``max_requests``) starts with them instead of spending a second
    of CPU on its first requests (measured: 1.1 s for the first unit page of a cold process, 20 ms
    warm)."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connections
    from django.template import TemplateSyntaxError, engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every urls.py and view)
    engine = engines["django"].engine
    names = set()
    for loader in engine.template_loaders:
        for each in getattr(loader, "loaders", [loader]):
            for folder in each.get_dirs():
                names.update(str(p.relative_to(folder)) for p in Path(folder).rglob("*.html"))
    for name in sorted(names):
        try:
            engine.get_template(name)
        except TemplateSyntaxError:  # a library's template for a tag library not installed here
            continue
    # The framework files (their YAML parsed: 70 ms of CPU for all, which the first summary or check
    # of every worker paid) and both languages' catalogues, likewise.
    import yaml
    from django.utils import translation

    from taizhang.core.framework_file import frameworks_dir, read_framework

    for path in sorted(frameworks_dir().glob("*.yaml")):
        try:
            read_framework(path)
        except (OSError, ValueError, yaml.YAMLError):  # reported where it is used, not here
            continue
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("台账")
    connections.close_all()  # nothing of the master's may be shared with the forked workers


class Command(TaizhangCommand):
    help = "启动台账网页服务（默认 http://127.0.0.1:8000，生产服务器 gunicorn；--dev 用 Django 开发服务器）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="工作进程数（默认等于 CPU 核数，至少 2）"
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="每个工作进程的线程数（默认 8）"
        )
        parser.add_argument(
            "--running",
            type=int,
            default=DEFAULT_RUNNING,
            help="每个工作进程同时运行的请求数，其余按到达顺序等候、扫码签到优先（默认 2；0 表示不限）",
        )
        parser.add_argument(
            "--worker-class",
            choices=["gthread", "sync"],
            default="gthread",
            help="gunicorn 工作进程类型（默认 gthread；sync 每进程一次一个请求，供对比测量）",
        )
        parser.add_argument("--dev", action="store_true", help="用 Django 开发服务器（仅供开发调试）")

    def handle(
        self,
        *args,
        host,
        port,
        workers,
        threads,
        dev,
        running=DEFAULT_RUNNING,
        worker_class="gthread",
        **options,
    ):
        if not 0 < port < 65536:
            raise UsageError(f"端口 {port} 无效：应在 1 到 65535 之间。")
        if workers is not None and not 0 < workers <= 64:
            raise UsageError(f"工作进程数 {workers} 无效：应在 1 到 64 之间。")
        if not 0 < threads <= 64:
            raise UsageError(f"线程数 {threads} 无效：应在 1 到 64 之间。")
        if not 0 <= running <= 64:
            raise UsageError(f"同时运行的请求数 {running} 无效：应在 0 到 64 之间（0 表示不限）。")
        # Results kept by an earlier version of the code may differ from this one's: start afresh.
        stamps.forget_everything()
        if dev:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
            return
        from django.core.wsgi import get_wsgi_application
        from gunicorn.app.base import BaseApplication

        from taizhang.core import server

        application = get_wsgi_application()  # what taizhang/wsgi.py gives any other server

        warm()
        server.RUNNING = running or None  # read by each worker the master forks

        options = {
            "bind": f"{host}:{port}",
            "workers": workers or default_workers(),
            "worker_class": "taizhang.core.server.TimedThreadWorker" if worker_class == "gthread" else "sync",
            "threads": threads if worker_class == "gthread" else 1,
            # A request running past half of this stops the worker's heartbeat; the arbiter kills it
            # this long after (core.server). Batches of documents run in `taizhang worker`, not here.
            "timeout": 120,
            # A worker replaced drops its keep-alive connections, which reconnect to the workers still
            # running, and starts with its per-process keeps cold. At 1,000 (jitter 100) under 100
            # users both workers went within seconds of each other every ~20 s, and one new worker
            # then served everyone on one core (bench/load.py, README); in the sign-in surge the
            # seconds after a replacement held 29 % of the slow sign-ins (a cold worker's writer
            # held SQLite's lock 400 ms, requests waited over a second for a thread).
            "max_requests": MAX_REQUESTS,
            "max_requests_jitter": MAX_REQUESTS // 4,
            "graceful_timeout": 20,
            # A list's filters travel in its query string (Chinese search words at 9 bytes a
            # character once encoded): gunicorn's largest request line, not its 4 KB default.
            "limit_request_line": 8190,
            "accesslog": "-" if options.get("verbosity", 1) > 1 else None,
            "errorlog": "-",
            "loglevel": "warning",
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"台账网页服务：http://{host}:{port}/（gunicorn，{options['workers']} 个工作进程）")
        self.stdout.flush()
        Server().run()
