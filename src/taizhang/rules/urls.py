from django.urls import path

from taizhang.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.compliance_matrix, name="matrix"),
    path("todo/", views.todo, name="todo"),
]
