from taizhang.core.declared import record_urls

app_name = "channels"
urlpatterns = record_urls("channels")
