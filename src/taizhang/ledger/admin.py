from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from taizhang.ledger import services
from taizhang.ledger.models import Activity, ActivityKind, Attachment, Attendance, ImportedFigure, Reflection


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "area"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.action(description="恢复所选的已删除活动（连同考勤）")
def restore_activities(modeladmin, request, queryset):
    for activity in queryset.filter(deleted=True):
        services.activity_restore(activity=activity)


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """Deleted activities are listed here too (filter "已删除"), restorable, each with its history."""

    list_display = ["date", "unit", "kind", "topic", "deleted"]
    list_filter = ["deleted", "kind", "unit"]
    actions = [restore_activities]
    date_hierarchy = "date"
    search_fields = ["topic", "materials"]
    inlines = [AttendanceInline, AttachmentInline]
    autocomplete_fields = ["unit", "host", "recorder"]

    def get_queryset(self, request):
        return Activity.all_objects.select_related("unit", "kind")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["activity", "person", "status", "signed_in_at"]
    list_filter = ["status"]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["date", "person", "title"]
    search_fields = ["title", "text"]


@admin.action(description="删除所选的导入汇总数（不再计数，可恢复）")
def delete_imported(modeladmin, request, queryset):
    for figure in queryset.filter(deleted=False):
        services.imported_figure_delete(figure=figure)


@admin.action(description="恢复所选的已删除导入汇总数")
def restore_imported(modeladmin, request, queryset):
    for figure in queryset.filter(deleted=True):
        services.imported_figure_restore(figure=figure)


@admin.register(ImportedFigure)
class ImportedFigureAdmin(SimpleHistoryAdmin):
    """Aggregates imported from past summaries: read-only (they say what a file said), deleted and
    restored through the services, so each change is in their history."""

    list_display = ["period", "unit", "what", "figure_text", "count", "source_name", "deleted"]
    list_filter = ["deleted", "record_type", "period", "unit"]
    search_fields = ["label", "source_name", "sentence"]
    actions = [delete_imported, restore_imported]

    def get_queryset(self, request):
        return ImportedFigure.all_objects.select_related("unit")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a soft delete, through the action, keeps it restorable
