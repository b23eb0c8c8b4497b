from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "taizhang.core"
    verbose_name = "公共"
