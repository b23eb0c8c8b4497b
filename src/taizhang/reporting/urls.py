from django.urls import path

from taizhang.core.declared import record_urls
from taizhang.reporting import views

app_name = "reporting"
urlpatterns = [*record_urls("reporting"), path("ranking/", views.ranking, name="ranking")]
