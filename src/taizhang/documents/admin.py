from django.contrib import admin

from taizhang.documents.models import SummaryVersion


@admin.register(SummaryVersion)
class SummaryVersionAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "number", "saved_by", "created")
    list_filter = ("period",)
    readonly_fields = ("snapshot",)
