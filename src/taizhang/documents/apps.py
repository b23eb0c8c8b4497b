from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "taizhang.documents"
    verbose_name = "文书"
