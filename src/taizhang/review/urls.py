from django.urls import path

from taizhang.review.views import draft_act, drafts

app_name = "review"
urlpatterns = [*drafts.urls("drafts"), path("drafts/<int:pk>/act/", draft_act, name="draft-act")]
