from django.contrib import admin

from taizhang.org.models import Area, Grant, Person, Position, Responsibility, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "depth"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth", "version", "created", "updated"]


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
