from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "taizhang.review"
    verbose_name = "三审制"

    def ready(self):
        from taizhang.review import record_types  # noqa: F401  (declares this module's record types)
