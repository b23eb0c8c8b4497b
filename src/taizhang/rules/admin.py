"""Admin views for inspection. Frameworks change only by loading a file, so requirements are read-only here."""

from django.contrib import admin

from taizhang.org.models import Task
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ["code", "title", "measure", "period", "min", "due", "points"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["slug", "version", "name", "loaded"]
    readonly_fields = ["slug", "version", "name", "source", "checksum", "loaded"]
    inlines = [RequirementInline]


@admin.register(FrameworkAssignment)
class FrameworkAssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "framework", "assigned"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "person", "due", "status"]
    list_filter = ["status", "year"]
    raw_id_fields = ["unit", "parent", "person", "requirement"]
