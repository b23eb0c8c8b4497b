from taizhang.campaigns import views

app_name = "campaigns"
urlpatterns = [
    *views.campaigns.urls("campaigns"),
    *views.donations.urls("donations"),
    *views.volunteering.urls("volunteering"),
    *views.selections.urls("selections"),
]
