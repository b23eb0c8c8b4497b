from taizhang.core.declared import record_urls

app_name = "risks"
urlpatterns = record_urls("risks")
