"""The dashboard's pages, at the addresses and under the names they had before the app was split out:
the landing page and a chart's workbook at the top, the unit page among the organisation's pages
(``org:unit-detail``; the project's ``urls.py`` puts it there)."""

from django.urls import path

from taizhang.dashboard import views

top_urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/<slug:key>.xlsx", views.dashboard_export, name="dashboard-export"),
]
org_urlpatterns = [path("units/<str:code>/", views.unit_detail, name="unit-detail")]
