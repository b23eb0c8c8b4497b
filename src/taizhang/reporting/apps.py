from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "taizhang.reporting"
    verbose_name = "信息报送"

    def ready(self):
        from taizhang.reporting import record_types  # noqa: F401  (declares this module's record types)
