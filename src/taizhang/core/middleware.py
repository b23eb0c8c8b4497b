"""Security headers Django 5.2 does not set itself: a content security policy the pages meet."""

from django.conf import settings


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
