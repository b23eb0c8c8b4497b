"""The REST API: one router, every module's viewsets."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from taizhang.ledger.api import ActivityViewSet
from taizhang.org.api import PersonViewSet, UnitViewSet
from taizhang.rules import api as rules_api

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = [
    path("token/", obtain_auth_token, name="api-token"),
    path("compliance/", rules_api.compliance, name="api-compliance"),
    path("todo/", rules_api.todo, name="api-todo"),
    path("", include(router.urls)),
]
