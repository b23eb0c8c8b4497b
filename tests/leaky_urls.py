"""The project's URLs plus a page and an API viewset that forget the scope: the matrix must catch both."""

from django.shortcuts import get_object_or_404, render
from django.urls import include, path
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from taizhang.ledger.api import ActivitySerializer
from taizhang.ledger.models import Activity
from taizhang.urls import urlpatterns as project_urlpatterns


def leaky_activity(request, pk: int):
    # Deliberately unscoped: any logged-in user reads any unit's activity.
    activity = get_object_or_404(Activity.objects.all(), pk=pk)
    return render(request, "ledger/activity_detail.html", {"activity": activity, "attendance": []})


class LeakyActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer
    queryset = Activity.objects.all()  # deliberately unscoped


router = DefaultRouter()
router.register("leaky-activities", LeakyActivityViewSet, basename="leaky-activity")

urlpatterns = [
    path("leak/activities/<int:pk>/", leaky_activity, name="activity-leak"),
    path("api/", include(router.urls)),
    *project_urlpatterns,
]
