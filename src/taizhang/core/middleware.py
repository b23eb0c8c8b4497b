"""Headers Django 5.2 does not set itself (a content security policy the pages meet, private caching of
logged-in pages), service errors answered as 400/409, and a one-time password changed before anything else."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LanguageMiddleware:
    """The language a person chose with the switch in the header (Django's ``set_language`` cookie),
    else Chinese.

    Django's own LocaleMiddleware falls back on the browser's Accept-Language, so a browser set to
    English would open the ledger in English unasked; Chinese is the ledger's language and stays the
    default until the person chooses otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        # Only for this request: a thread serves the next request (or a test, or a batch) in the
        # language that one asks for, never in the language the last one happened to use.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Add ``settings.TAIZHANG_CSP`` to every response that has not set its own policy.

    The pages load scripts and styles only from our own static files (ECharts and htmx are served
    from ``/static/vendor/``, never a CDN) and have no inline scripts: data reaches scripts through
    ``json_script``. Style *attributes* stay allowed because ECharts writes them into its tooltips.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "TAIZHANG_CSP", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class RememberUnitMiddleware:
    """The unit chosen on one filter form is pre-selected on the next (core.forms.remember_unit), and
    the period chosen on one page opens the next (core.forms.remember_period)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        from taizhang.core.forms import remember_period, remember_unit

        remember_unit(request, response)
        if request.method == "GET":
            remember_period(request, response)
        return response


class ServiceErrorMiddleware:
    """A service's refusal that no page caught answers 400 (409 for a stale edit), never 500.

    Pages normally put a service's ValidationError on their form; this is the one place for the
    rest (a POST to an action the record's state no longer allows), so the user reads the
    service's own message on the error page instead of a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import ValidationError
        from django.shortcuts import render

        from taizhang.core.services import StaleEdit

        if not isinstance(exception, ValidationError):
            return None
        status = 409 if isinstance(exception, StaleEdit) else 400
        return render(request, "400.html", {"messages_list": exception.messages}, status=status)


class PrivatePagesMiddleware:
    """Whatever a logged-in user is sent stays out of shared caches and off the disk: ``private, no-store``.

    Every page and API answer behind the login holds someone's ledger, names or phone numbers; a proxy
    must not serve it to the next user, and the browser must not keep it for whoever uses the
    computer after them (the back button after logging out shows nothing).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF puts a token's user here too
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class OneTimePasswordMiddleware:
    """A person signed in with a password someone else set (an admin's one-time password) uses nothing
    but the change page until they have set their own: every page redirects there with a message
    saying why, the API answers 403 with the reason.

    Left open: the change page itself, logging out, the language switch and the health check (static
    files are served before any of this). The API's documentation is a page, so it redirects too.
    """

    OPEN = {"password-change", "logout", "set_language", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.http import JsonResponse
        from django.shortcuts import redirect

        from taizhang.core.auth import must_change_password

        name = request.resolver_match.view_name
        if name in self.OPEN or not must_change_password(request):
            return None
        if request.path.startswith("/api/") and name != "api-docs":
            message = translation.gettext(
                "您的密码是管理员发放的一次性密码：请先登录网页修改密码，再使用接口。"
            )
            return JsonResponse({"detail": message}, status=403)
        messages.warning(
            request,
            translation.gettext("您的密码是管理员发放的一次性密码：请先设置您自己的新密码，再继续使用。"),
        )
        return redirect("password-change")
