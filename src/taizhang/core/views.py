"""The landing page: the units this login may see."""

from django.shortcuts import redirect, render

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
