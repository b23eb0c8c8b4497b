from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "taizhang.risks"
    verbose_name = "风险研判"

    def ready(self):
        from taizhang.risks import record_types  # noqa: F401  (declares this module's record types)
