"""The REST API: one router, every module's viewsets."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from taizhang.campaigns.api import (
    CampaignViewSet,
    DonationViewSet,
    SelectionViewSet,
    VolunteerActivityViewSet,
)
from taizhang.channels.api import ChannelViewSet
from taizhang.core.api import TokenView, not_found
from taizhang.ledger.api import ActivityViewSet
from taizhang.org.api import PersonViewSet, UnitViewSet
from taizhang.reporting.api import AdoptionViewSet, ArticleViewSet, SubmissionViewSet
from taizhang.review.api import DraftViewSet
from taizhang.risks.api import RiskPointViewSet
from taizhang.rules import api as rules_api

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
router.register("activities", ActivityViewSet, basename="activity")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("adoptions", AdoptionViewSet, basename="adoption")
router.register("articles", ArticleViewSet, basename="article")
router.register("drafts", DraftViewSet, basename="draft")
router.register("risk-points", RiskPointViewSet, basename="risk-point")
router.register("channels", ChannelViewSet, basename="channel")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("donations", DonationViewSet, basename="donation")
router.register("volunteer-activities", VolunteerActivityViewSet, basename="volunteer-activity")
router.register("selections", SelectionViewSet, basename="selection")

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    path("compliance/", rules_api.compliance, name="api-compliance"),
    path("todo/", rules_api.todo, name="api-todo"),
    path("", include(router.urls)),
    re_path(r"", not_found),  # last: what no route above matched answers JSON, not the HTML 404 page
]
