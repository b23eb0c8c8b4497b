"""The REST API: one router, every record type's endpoints (at the prefix its declaration names) and
the organisation's and the rules' own."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from taizhang.core.api import TokenView, not_found
from taizhang.core.declared import register_viewsets
from taizhang.org.api import PersonViewSet, UnitViewSet
from taizhang.rules import api as rules_api

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
register_viewsets(router)

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    path("compliance/", rules_api.compliance, name="api-compliance"),
    path("todo/", rules_api.todo, name="api-todo"),
    path("", include(router.urls)),
    re_path(r"", not_found),  # last: what no route above matched answers JSON, not the HTML 404 page
]
