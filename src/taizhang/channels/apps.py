from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "taizhang.channels"
    verbose_name = "阵地备案"
