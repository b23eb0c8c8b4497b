from django.contrib import admin

from taizhang.risks.models import RiskPoint


@admin.register(RiskPoint)
class RiskPointAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "level", "owner", "status", "review_date"]
    list_filter = ["level", "status"]
    search_fields = ["title", "description"]
