from django.urls import path

from taizhang.reporting import views

app_name = "reporting"
urlpatterns = [
    *views.submissions.urls("submissions"),
    *views.adoptions.urls("adoptions"),
    *views.articles.urls("articles"),
    path("ranking/", views.ranking, name="ranking"),
]
