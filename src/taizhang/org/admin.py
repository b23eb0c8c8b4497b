from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from taizhang.org.models import Area, Grant, Person, Position, Responsibility, Unit, profile_from_name


class UnitForm(forms.ModelForm):
    """The unit form: its 单位类别 is taken from the name where the name says it (县人民医院 → 医院)
    and asked for where it does not (县委办公室: a party organ or a government one?)."""

    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "short_name", "kind", "profile"]

    def clean(self):
        data = super().clean()
        if not data.get("profile") and data.get("name"):
            guessed = profile_from_name(data["name"])
            if guessed:
                data["profile"] = guessed
            else:
                self.add_error(
                    "profile",
                    gettext("单位类别：从名称“%(name)s”看不出是哪类单位，请选择。") % {"name": data["name"]},
                )
        return data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["name", "code", "kind", "profile", "parent", "depth"]
    list_filter = ["kind", "profile"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth", "version", "created", "updated"]

    def save_model(self, request, obj, form, change):
        """A new unit through the service, which gives it its place in the tree (path, depth)."""
        if change:
            return super().save_model(request, obj, form, change)
        from taizhang.org.services import unit_create

        created = unit_create(
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            parent=obj.parent,
            short_name=obj.short_name,
            profile=obj.profile,
        )
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "job_title", "is_party_member"]
    list_filter = ["is_party_member"]
    search_fields = ["name"]
    autocomplete_fields = ["unit"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "unit", "post", "title", "start", "end"]
    list_filter = ["post"]
    autocomplete_fields = ["person", "unit"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["unit", "area", "person", "duty"]
    list_filter = ["duty", "area"]
    autocomplete_fields = ["unit", "person"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["unit"]
