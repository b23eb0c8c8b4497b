from django.urls import path

from taizhang.documents import factcheck_views, views

app_name = "documents"
urlpatterns = [
    path("", views.summary_start, name="start"),
    path("factcheck/", factcheck_views.factcheck_page, name="factcheck"),
    path("summary/<slug:unit>/<str:period>/", views.summary_preview, name="summary"),
    path("summary/<slug:unit>/<str:period>/approve/", views.summary_approve, name="summary-approve"),
    path(
        "summary/<slug:unit>/<str:period>/download.<str:fmt>", views.summary_download, name="summary-download"
    ),
]
