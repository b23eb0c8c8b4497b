from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "taizhang.review"
    verbose_name = "三审制"
