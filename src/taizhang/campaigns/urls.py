from taizhang.core.crud import record_urls

app_name = "campaigns"
urlpatterns = record_urls("campaigns")
