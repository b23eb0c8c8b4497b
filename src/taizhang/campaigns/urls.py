from taizhang.core.declared import record_urls

app_name = "campaigns"
urlpatterns = record_urls("campaigns")
