from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taizhang.core"
    verbose_name = "公共"

    def ready(self):
        # Connects the signal that notes which SQLite file each connection opened.
        from taizhang.core import availability, stamps  # noqa: F401
        from taizhang.core.catalogue import ensure_compiled

        # Every write that keeps history moves the generations of the results kept for its units.
        stamps.connect()

        # The English catalogue ships as a .po; its .mo is compiled here when missing or older.
        ensure_compiled()
