from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LedgerConfig(AppConfig):
    name = "taizhang.ledger"
    verbose_name = "台账"

    def ready(self):
        from taizhang.core import stamp_notes
        from taizhang.ledger import record_types  # noqa: F401  (declares this module's record types)
        from taizhang.ledger.models import ActivityKind
        from taizhang.ledger.services import activity_kinds_sync_from_default_framework

        stamp_notes.watch_vocabulary(ActivityKind)  # every kept result may read the kinds

        post_migrate.connect(activity_kinds_sync_from_default_framework, sender=self)
