from taizhang.channels.views import channels

app_name = "channels"
urlpatterns = channels.urls("channels")
