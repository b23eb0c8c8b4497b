from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "taizhang.dashboard"
    verbose_name = "概览"
