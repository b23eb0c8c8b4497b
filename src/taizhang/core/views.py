"""The health check and the server-error page (the landing page is the dashboard app's, a person's
own password page the organisation's)."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.views import defaults

from taizhang.core.availability import UNAVAILABLE_ERRORS, health_response, unavailable_response


@login_not_required
def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 when it does not.

    No login, and nothing in the answer a stranger could use beyond "up" or "down".
    """
    return health_response()


def server_error(request):
    """Django's 500 page, except that a database gone away answers 503 "try again shortly".

    Called while the exception is being handled, wherever it was raised (a view, or a middleware
    loading the session), so this is the one place that tells an outage from a bug.
    """
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return unavailable_response(request)
    return defaults.server_error(request)
