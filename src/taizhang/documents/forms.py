"""The forms behind the document pages: which unit, which period, the 落款日期 and the script.

The same fields as ``taizhang report … --unit --period --date --script``; a bad value is an error on
its field, shown with the page, never a 404 or a 500.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from taizhang.core.forms import DateField, PeriodField, UnitField, UnitFilterForm, UnitPeriodForm
from taizhang.core.periods import YEARS
from taizhang.documents.scripts import SCRIPTS, SIMPLIFIED, choices_text


def _in_range(day):
    """A day the documents can print and a period can name (year 1–9999 overflows next month's arithmetic)."""
    if day is not None and day.year not in YEARS:
        raise ValidationError(f"日期 {day:%Y-%m-%d} 超出可用范围（{min(YEARS)}—{max(YEARS)} 年）。")
    return day


class WrittenOnForm(forms.Form):
    """The summary page's 落款日期 and script (the preview and its downloads read both)."""

    date = DateField(
        label="落款日期", required=False, help_text="留空：已结束的期间取期末后第一个满五天的工作日"
    )
    script = forms.ChoiceField(
        label="字形",
        choices=[(code, s.choice) for code, s in SCRIPTS.items()],
        required=False,
        error_messages={"invalid_choice": f"不支持的字形“%(value)s”，可选：{choices_text()}。"},
    )

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class DocumentForm(UnitFilterForm):
    """A unit the login reads in full and a period: what every unit-wide document is asked with."""

    unit = UnitField(empty_label=None, required=True)
    period = PeriodField(label="期间", help_text="如 2020、2020H1、2020Q3")
    date = DateField(label="落款日期", required=False)
    script = WrittenOnForm.base_fields["script"]
    as_of = DateField(label="核查日期", required=False, help_text="考核评分表计至此日，留空为今天")
    children = forms.BooleanField(label="含下级单位", required=False)
    personal = forms.BooleanField(label="人员名册含手机号码", required=False)

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_as_of(self):
        return _in_range(self.cleaned_data.get("as_of"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class BatchForm(UnitFilterForm):
    """A batch: the top unit (its whole visible subtree is done), a period, what to produce."""

    KINDS = [("summaries", "工作总结（每个单位一份 .docx）"), ("ledgers", "台账（每个单位一份 .xlsx）")]

    kind = forms.ChoiceField(label="生成", choices=KINDS)
    unit = UnitField(empty_label=None, required=True, label="单位（含全部下级单位）")
    period = PeriodField(label="期间", help_text="如 2020、2020H1")
    date = DateField(label="落款日期", required=False, help_text="工作总结的落款日期，留空取默认")
    script = WrittenOnForm.base_fields["script"]
    field_order = ["kind", "unit", "period", "date", "script"]

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class SummaryForm(UnitPeriodForm):
    """The unit and period a summary's address names: the same fields as every filter form."""

    unit = UnitField(empty_label=None, required=True)
    period = PeriodField(label="期间", help_text="如 2020H1 或 2020")
