"""The landing page (a leader's dashboard, a clerk's units), a person's own password, the health check
and the server-error page."""

import sys
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from taizhang.core.auth import password_change_done
from taizhang.core.availability import UNAVAILABLE_ERRORS, health_response, unavailable_response
from taizhang.core.forms import PasswordChangeForm, remembered_period
from taizhang.ledger.queries import latest_activity_year
from taizhang.org.models import Unit
from taizhang.org.scope import leading_units, member_units, visible_units, writable_units
from taizhang.org.services import password_change
from taizhang.reporting import dashboard
from taizhang.rules.todo import todo_for


def _tops(units) -> list[Unit]:
    """The tops of a visible forest: units whose parent is not visible."""
    return list(units.exclude(parent__in=units.values("pk")).order_by("path")[:50])


class DashboardForm(forms.Form):
    unit = forms.CharField(required=False, label=_("单位"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=9998, label=_("年度"))


def _dashboard_of(request):
    """(dashboard, form, tops) for a leader's request, or None when the login leads no unit."""
    leading = leading_units(request.user)
    tops = _tops(leading)
    if not tops:
        return None
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    top = next((t for t in tops if t.code == data.get("unit")), tops[0])
    if data.get("unit") and top.code != data["unit"]:
        form.add_error("unit", gettext("没有这个单位，或您无权查看它的概览。"))
    # the year asked for; else the year of the period last chosen on any page (a leader who looked at
    # 2020 stays on 2020); else the newest year most of the units kept their ledgers in
    remembered = remembered_period(request)
    year = data.get("year") or (remembered.year if remembered else None)
    year = year or dashboard.latest_year(top) or date.today().year
    return dashboard.current(top=top, year=year), form, tops


def home(request):
    found = _dashboard_of(request)
    if found is not None:
        board, form, tops = found
        if request.headers.get("HX-Request") and board.snapshot is not None:
            # the waiting page's poll: nothing to swap until the figures are in, then a reload
            response = HttpResponse(status=204 if board.pending else 200)
            if not board.pending:
                response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "core/dashboard.html",
            {
                "board": board,
                "form": form,
                "tops": tops,
                # the 登记 links of what is behind: for a leader who also keeps the unit's ledger
                "can_write": writable_units(request.user).filter(pk=board.top.pk).exists(),
            },
            status=400 if form.errors else 200,
        )
    units = list(visible_units(request.user).order_by("path")[:500])
    if not units and member_units(request.user).exists():
        # A member reads no unit's ledger as a whole: their page is their own attendance and reflections.
        return redirect("ledger:mine")
    if len(units) == 1:
        return redirect("org:unit-detail", code=units[0].code)
    # Show the tops of the visible forest; their subtrees are one click away. A clerk's home starts
    # from what their units must see to: the year's overdue and due-soon items, and where to act.
    ids = {unit.pk for unit in units}
    tops = [unit for unit in units if unit.parent_id not in ids]
    writable = set(
        writable_units(request.user).filter(pk__in=[t.pk for t in tops]).values_list("pk", flat=True)
    )
    cards = [_home_card(request, top, top.pk in writable) for top in tops[:HOME_CARDS]]
    return render(request, "core/home.html", {"tops": tops, "units": units, "cards": cards})


HOME_CARDS = 5


def _home_card(request, unit: Unit, can_write: bool) -> dict:
    """One unit at the top of a clerk's home: its to-do of the year last looked at (``todo_for``,
    kept per unit and day), counted, with its first items and the pages to act on it."""
    remembered = remembered_period(request)
    year = (
        remembered.year
        if remembered
        else (latest_activity_year(Unit.objects.filter(path__startswith=unit.path)) or date.today().year)
    )
    items = todo_for(unit=unit, today=date.today(), year=year)
    return {
        "unit": unit,
        "year": year,
        "overdue": sum(1 for item in items if item.overdue),
        "soon": sum(1 for item in items if not item.overdue),
        "first": items[:3],
        "can_write": can_write,
        "as_of": min(date.today(), date(year, 12, 31)),
    }


def dashboard_export(request, key: str):
    """One chart of the dashboard as an .xlsx workbook (the same figures as its table)."""
    found = _dashboard_of(request)
    chart = found[0].chart(key) if found else None
    if chart is None:
        if found and found[0].pending:  # a city's figures are being worked out for the first time
            response = HttpResponse(
                gettext("概览的数据正在汇总，请稍后再导出。"),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "30"
            return response
        raise Http404(gettext("没有这个图表。"))
    board = found[0]
    response = HttpResponse(
        dashboard.chart_workbook(chart),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"dashboard-{board.top.code}-{board.year}-{key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """``/account/password/``: the signed-in person sets their own password, the one way out of a
    one-time password (``core.middleware.OneTimePasswordMiddleware`` sends them here).

    Django's view (the form, and this session kept signed in while the person's other sessions end),
    writing through ``org.services.password_change`` so the one-time password is marked spent in the
    same transaction.
    """

    template_name = "core/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        password_change_done(self.request)
        messages.success(self.request, gettext("密码已修改，下次登录请使用新密码。"))
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
