from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    name = "taizhang.org"
    verbose_name = "组织"

    def ready(self):
        from taizhang.org.services import areas_sync_from_default_framework

        # Like Django's own permissions: the catalogue exists as soon as the tables do.
        post_migrate.connect(areas_sync_from_default_framework, sender=self)
