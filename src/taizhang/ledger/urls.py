from django.urls import path

from taizhang.ledger import attendance_views, import_views, views

app_name = "ledger"
urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/import/", import_views.activity_import, name="activity-import"),
    path("activities/import/template.xlsx", import_views.import_template, name="import-template"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("activities/<int:pk>/restore/", views.activity_restore, name="activity-restore"),
    path("activities/deleted/", views.activity_deleted_list, name="activity-deleted"),
    path("activities/<int:pk>/sign-in/", attendance_views.activity_sign_in, name="activity-sign-in"),
    path(
        "activities/<int:pk>/sign-in/live/",
        attendance_views.activity_sign_in_live,
        name="activity-sign-in-live",
    ),
    path("sign-in/<str:token>/", attendance_views.sign_in, name="sign-in"),
    path("activities/<int:pk>/attachments/", views.activity_attachment_add, name="activity-attachment-add"),
    path("mine/", attendance_views.mine, name="mine"),
    path("imported/", import_views.imported_list, name="imported-list"),
]
