from taizhang.core.crud import record_urls

app_name = "channels"
urlpatterns = record_urls("channels")
