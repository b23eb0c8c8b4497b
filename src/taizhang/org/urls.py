from django.urls import path

from taizhang.org import people_views, views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_search, name="unit-search"),
    path("people/", people_views.person_list, name="person-list"),
    path("people/new/", people_views.person_create, name="person-create"),
    path("people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people_views.person_edit, name="person-edit"),
    path("people/<int:pk>/end/", people_views.person_end, name="person-end"),
    path("people/<int:pk>/restore/", people_views.person_restore, name="person-restore"),
    path("people/<int:pk>/login/", people_views.person_login, name="person-login"),
    path("people/<int:pk>/password/", people_views.person_password, name="person-password"),
    path("grants/<int:pk>/revoke/", people_views.grant_revoke, name="grant-revoke"),
    path("posts/new/", people_views.position_create, name="position-create"),
    path("posts/<int:pk>/edit/", people_views.position_edit, name="position-edit"),
    path("posts/<int:pk>/end/", people_views.position_end, name="position-end"),
    path("duties/", people_views.duties, name="duties"),
    path("duties/<int:pk>/withdraw/", people_views.responsibility_withdraw, name="responsibility-withdraw"),
]
