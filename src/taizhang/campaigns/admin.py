from django.contrib import admin

from taizhang.campaigns.models import Campaign, Donation, Selection, VolunteerActivity


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "theme", "start", "end"]
    search_fields = ["title"]


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "donor_group", "kind", "amount_fen", "item_name", "item_count"]
    list_filter = ["kind", "donor_group"]


@admin.register(VolunteerActivity)
class VolunteerActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "title", "hours"]


@admin.register(Selection)
class SelectionAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "title"]
