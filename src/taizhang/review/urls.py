from django.urls import path

from taizhang.core.declared import record_urls
from taizhang.review.views import draft_act

app_name = "review"
urlpatterns = [*record_urls("review"), path("drafts/<int:pk>/act/", draft_act, name="draft-act")]
