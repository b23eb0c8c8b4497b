from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "taizhang.channels"
    verbose_name = "阵地备案"

    def ready(self):
        from taizhang.channels import record_types  # noqa: F401  (declares this module's record types)
