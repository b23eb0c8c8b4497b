from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "taizhang.risks"
    verbose_name = "风险研判"
