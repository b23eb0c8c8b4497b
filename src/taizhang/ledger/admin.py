from django.contrib import admin

from taizhang.ledger.models import Activity, ActivityKind, Attachment, Attendance, Reflection


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


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "kind", "topic"]
    list_filter = ["kind", "unit"]
    date_hierarchy = "date"
    search_fields = ["topic", "materials"]
    inlines = [AttendanceInline, AttachmentInline]
    autocomplete_fields = ["unit", "host", "recorder"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["activity", "person", "status", "signed_in_at"]
    list_filter = ["status"]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["date", "person", "title"]
    search_fields = ["title", "text"]
