from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    name = "taizhang.org"
    verbose_name = "组织"

    def ready(self):
        from taizhang.core import stamp_notes, units
        from taizhang.org import queries, scope
        from taizhang.org.models import Area, Person, Unit
        from taizhang.org.services import areas_sync_from_default_framework

        # What core needs of the organisation (core.units): core imports no domain app.
        units.register(
            unit_model=Unit,
            person_model=Person,
            visible_units=scope.visible_units,
            writable_units=scope.writable_units,
            reads_anywhere=scope.reads_anywhere,
            writes_anywhere=scope.writes_anywhere,
            top_units=scope.top_units,
            top_paths=scope.top_paths,
            can_read=scope.can_read,
            can_write=scope.can_write,
            own_person=scope.own_person,
            scope=scope.scope,
            organisation_of=queries.organisation_of,
            organisation_people=queries.organisation_people,
            units_near=queries.units_near,
            password_change_pending=queries.password_change_pending,
        )
        stamp_notes.watch_vocabulary(Area)  # every kept result may read the areas

        # Like Django's own permissions: the catalogue exists as soon as the tables do.
        post_migrate.connect(areas_sync_from_default_framework, sender=self)
