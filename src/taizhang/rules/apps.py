from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "taizhang.rules"
    verbose_name = "要求与考核"

    def ready(self):
        from taizhang.core import stamps
        from taizhang.rules.models import Framework, FrameworkAssignment, Requirement

        # every kept result may read the frameworks (the compliance check, the to-do list, the summary)
        stamps.watch_vocabulary(Framework, Requirement, FrameworkAssignment)
