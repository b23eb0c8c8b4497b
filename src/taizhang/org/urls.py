from django.urls import path

from taizhang.org import views

app_name = "org"
urlpatterns = [
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
]
