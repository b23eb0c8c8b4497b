from django.urls import path

from taizhang.documents import views
from taizhang.documents.batches import views as batch_views
from taizhang.documents.downloads import views as download_views
from taizhang.documents.drafts import views as factcheck_views

app_name = "documents"
urlpatterns = [
    path("", views.summary_start, name="start"),
    path("factcheck/", factcheck_views.factcheck_page, name="factcheck"),
    path("summary/<slug:unit>/<str:period>/", views.summary_preview, name="summary"),
    path("summary/<slug:unit>/<str:period>/approve/", views.summary_approve, name="summary-approve"),
    path(
        "summary/<slug:unit>/<str:period>/download.<str:fmt>", views.summary_download, name="summary-download"
    ),
    path(
        "activity/<int:pk>/<slug:which>.<str:fmt>",
        download_views.activity_document,
        name="activity-document",
    ),
    path("<slug:which>.<str:fmt>", download_views.unit_document, name="unit-document"),
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/<int:pk>/", batch_views.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/progress/", batch_views.batch_progress, name="batch-progress"),
    path("batches/<int:pk>/download.zip", batch_views.batch_download, name="batch-download"),
]
