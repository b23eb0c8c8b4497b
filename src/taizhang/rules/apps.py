from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "taizhang.rules"
    verbose_name = "要求与考核"
