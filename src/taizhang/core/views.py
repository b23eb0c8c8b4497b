"""The landing page (the units this login may see), the health check and the server-error page."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views import defaults

from taizhang.core.availability import UNAVAILABLE_ERRORS, health_response, unavailable_response
from taizhang.org.scope import member_units, visible_units


def home(request):
    units = list(visible_units(request.user).order_by("path")[:500])
    if not units and member_units(request.user).exists():
        # A member reads no unit's ledger as a whole: their page is their own attendance and reflections.
        return redirect("ledger:mine")
    if len(units) == 1:
        return redirect("org:unit-detail", code=units[0].code)
    # Show the tops of the visible forest; their subtrees are one click away.
    ids = {unit.pk for unit in units}
    tops = [unit for unit in units if unit.parent_id not in ids]
    return render(request, "core/home.html", {"tops": tops, "units": units})


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
