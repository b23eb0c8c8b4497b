from django.contrib import admin

from taizhang.channels.models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "administrator", "registered_on", "last_reviewed_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "purpose"]
