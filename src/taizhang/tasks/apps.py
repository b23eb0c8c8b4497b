from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "taizhang.tasks"
    verbose_name = "后台任务"
