"""Serve the web app (the demo server of ``make run``).

Django's own server, without autoreload; static files come through WhiteNoise, so the pages work
with DEBUG off. For a deployment behind nginx, run ``taizhang.wsgi`` under gunicorn instead.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动台账网页服务（默认 http://127.0.0.1:8000）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
