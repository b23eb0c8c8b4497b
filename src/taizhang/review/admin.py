from django.contrib import admin

from taizhang.review.models import Decision, Draft, ReviewerSetting


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    readonly_fields = ["round", "stage", "action", "actor", "at", "comment"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "author", "state", "published_on"]
    list_filter = ["state"]
    search_fields = ["title"]
    readonly_fields = ["state", "round", "channel", "published_on"]
    inlines = [DecisionInline]


@admin.register(ReviewerSetting)
class ReviewerSettingAdmin(admin.ModelAdmin):
    list_display = ["unit", "stage", "post"]
