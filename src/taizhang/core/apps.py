from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taizhang.core"
    verbose_name = "公共"

    def ready(self):
        # Connects the signal that notes which SQLite file each connection opened.
        from taizhang.core import availability, stamp_notes  # noqa: F401  (availability: its signal)
        from taizhang.core.catalogue import ensure_compiled

        # Every write that keeps history moves the generations of the results kept for its units.
        stamp_notes.connect()

        # A one-time password is looked up once, at login (core.auth.must_change_password).
        from django.contrib.auth.signals import user_logged_in

        from taizhang.core.auth import note_password_pending

        user_logged_in.connect(note_password_pending, dispatch_uid="taizhang.note_password_pending")

        # The English catalogue ships as a .po; its .mo is compiled here when missing or older.
        ensure_compiled()
