from taizhang.risks.views import risk_points

app_name = "risks"
urlpatterns = risk_points.urls("points")
