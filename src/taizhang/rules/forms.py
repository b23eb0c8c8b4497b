"""The forms of the matrix and to-do pages: a unit chosen from the login's units, a period, a day."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import (
    AsOfField,
    PeriodField,
    UnitField,
    UnitFilterForm,
    filter_query,
    remembered_period,
)
from taizhang.ledger.queries import latest_activity_year
from taizhang.org.queries import unit_subtree


class TodoForm(UnitFilterForm):
    unit = UnitField(empty_label=None, required=True)
    as_of = AsOfField(label=_("核查日期"))

    @classmethod
    def bound(cls, request, **defaults) -> TodoForm:
        """The form bound to the query string, with the login's top unit (and ``defaults``) filling
        what the query leaves out: the page always answers for something the person may see."""
        form = cls(user=request.user)
        query = (filter_query(request) or QueryDict()).copy()  # a QueryDict: the page's links re-encode it
        first = next(iter(form.fields["unit"].codes), "")
        for key, value in {"unit": first, **defaults}.items():
            if not query.get(key):
                query[key] = value
        return cls(query, user=request.user)


class CheckForm(TodoForm):
    period = PeriodField(label=_("期间"), help_text=_("如 2020、2020H1、2020Q3、2020-05"))
    field_order = ["unit", "period", "as_of"]

    @classmethod
    def bound(cls, request, **defaults) -> CheckForm:
        """Without a period: the one last chosen on any page, else the newest year the unit's tree
        kept its ledger in (as the unit page and the dashboard open)."""
        remembered = remembered_period(request)
        if remembered is None:
            query = filter_query(request) or {}
            form = cls(user=request.user)
            code = query.get("unit") or next(iter(form.fields["unit"].codes), "")
            unit = form.fields["unit"].units.filter(code=code).first() if code else None  # one it may see
            year = latest_activity_year(unit_subtree(unit)) if unit is not None else None
            period = str(year or date.today().year)
        else:
            period = remembered.code
        return super().bound(request, period=period, **defaults)

    def clean(self):
        data = super().clean()
        period, as_of = data.get("period"), data.get("as_of")
        if period is not None and as_of is not None and as_of < period.start:
            self.add_error(
                "as_of",
                gettext("核查日期 %(as_of)s 早于期间%(period)s的开始（%(start)s）")
                % {"as_of": f"{as_of:%Y-%m-%d}", "period": period.label, "start": f"{period.start:%Y-%m-%d}"},
            )
        return data
