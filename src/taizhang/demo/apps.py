from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county (``taizhang demo``): the top of the house, it writes through every module below."""

    name = "taizhang.demo"
    verbose_name = "演示"
