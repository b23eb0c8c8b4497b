"""Reporting pages: a submission with its adoptions, and the points ranking (the record types' other
pages are built from their declarations, ``record_types.py``)."""

from datetime import date

from django.shortcuts import render

from taizhang.core.crud import RecordPages
from taizhang.core.forms import UnitPeriodForm, filter_query, remembered_period
from taizhang.core.ranks import nothing_to_rank, places
from taizhang.org.scope import visible_units
from taizhang.reporting import queries
from taizhang.reporting.models import Adoption


class SubmissionPages(RecordPages):
    """A submission's page lists its adoptions (the pages themselves: ``record_types.py``)."""

    def detail_view(self, request, pk: int, extra: dict | None = None):
        adoptions = Adoption.objects.filter(submission_id=pk).order_by("date", "id")
        return super().detail_view(request, pk, extra={"adoptions": adoptions})


def ranking(request):
    """Units ranked by reporting points in a period (the periodic 通报 of adoptions)."""
    query = (filter_query(request) or {}).copy()
    if not query.get("period"):  # the period last chosen on any page, else the current year
        remembered = remembered_period(request)
        query["period"] = remembered.code if remembered else str(date.today().year)
    form = UnitPeriodForm(query, user=request.user)
    rows = []
    if form.is_valid():
        units = visible_units(request.user)
        if form.cleaned_data["unit"] is not None:
            units = units.filter(path__startswith=form.cleaned_data["unit"].path)
        ranked = queries.ranking(units=units.order_by("path")[:500], period=form.cleaned_data["period"])
        if not nothing_to_rank([points for _, points in ranked]):  # all 0: no places to hand out
            rows = [
                (place, tied, unit, points)
                for (unit, points), (place, tied) in zip(ranked, places([p for _, p in ranked]), strict=True)
            ]
    return render(
        request, "reporting/ranking.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )
