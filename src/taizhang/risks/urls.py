from taizhang.core.crud import record_urls

app_name = "risks"
urlpatterns = record_urls("risks")
