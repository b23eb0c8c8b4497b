from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taizhang.core"
    verbose_name = "公共"

    def ready(self):
        # Connects the signal that notes which SQLite file each connection opened.
        from taizhang.core import availability  # noqa: F401
        from taizhang.core.catalogue import ensure_compiled

        # The English catalogue ships as a .po; its .mo is compiled here when missing or older.
        ensure_compiled()
