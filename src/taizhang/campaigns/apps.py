from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "taizhang.campaigns"
    verbose_name = "主题活动"

    def ready(self):
        from taizhang.campaigns import record_types  # noqa: F401  (declares this module's record types)
