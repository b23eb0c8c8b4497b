"""Every page, the API and its schema. Login is required everywhere except the login page and /healthz."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import set_language

from taizhang.core import views as core_views
from taizhang.core.api_docs import DocsView, SchemaView
from taizhang.dashboard import urls as dashboard_urls
from taizhang.org import urls as org_urls
from taizhang.org import views as org_views

urlpatterns = [
    *dashboard_urls.top_urlpatterns,  # the landing page and a dashboard chart's workbook
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", org_views.PasswordChangeView.as_view(), name="password-change"),
    # The unit page is the dashboard's (it reads the ledger and the rules), named among the org's pages.
    path("org/", include((org_urls.urlpatterns + dashboard_urls.org_urlpatterns, org_urls.app_name))),
    path("ledger/", include("taizhang.ledger.urls")),
    path("rules/", include("taizhang.rules.urls")),
    path("documents/", include("taizhang.documents.urls")),
    path("reporting/", include("taizhang.reporting.urls")),
    path("review/", include("taizhang.review.urls")),
    path("risks/", include("taizhang.risks.urls")),
    path("channels/", include("taizhang.channels.urls")),
    path("campaigns/", include("taizhang.campaigns.urls")),
    # Before api/: it ends in a catch-all.
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # A page a person opens: without a session it leads to the login page (the API itself answers 403).
    path("api/docs/", login_required(DocsView.as_view()), name="api-docs"),
    path("api/", include("taizhang.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch in the header; also on the login page, so no login is needed.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

handler500 = "taizhang.core.views.server_error"
