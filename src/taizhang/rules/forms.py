"""The forms of the matrix and to-do pages: a unit chosen from the login's units, a period, a day."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import DateField, PeriodField, UnitField, UnitFilterForm
from taizhang.core.periods import YEARS, PeriodError, parse_day


class TodoForm(UnitFilterForm):
    unit = UnitField(empty_label=None, required=True)
    as_of = DateField(label=_("核查日期"), required=False)

    def clean_as_of(self):
        """A day a period can name (9999-12-31 would overflow the next month's arithmetic)."""
        day = self.cleaned_data.get("as_of")
        if day is not None and day.year not in YEARS:
            try:  # the same words as the API's (core.periods.parse_day)
                parse_day(day.isoformat(), label=gettext("核查日期（as_of）"))
            except PeriodError as exc:
                raise ValidationError(str(exc)) from None
        return day

    @classmethod
    def bound(cls, request, **defaults) -> TodoForm:
        """The form bound to the query string, with the login's top unit (and ``defaults``) filling
        what the query leaves out: the page always answers for something the person may see."""
        form = cls(user=request.user)
        query = request.GET.dict()
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
        return super().bound(request, period=str(date.today().year), **defaults)

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
