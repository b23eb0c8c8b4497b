"""The unit and period a summary or a fact-check is for: the same fields as every filter form."""

from taizhang.core.forms import PeriodField, UnitField, UnitPeriodForm


class SummaryForm(UnitPeriodForm):
    unit = UnitField(empty_label=None, required=True)
    period = PeriodField(label="期间", help_text="如 2020H1 或 2020")
