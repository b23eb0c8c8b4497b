"""The forms behind the document pages: which unit, which period, the 落款日期 and the script.

The same fields as ``taizhang report … --unit --period --date --script``; a bad value is an error on
its field, shown with the page, never a 404 or a 500.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import DateField, PeriodField, UnitField, UnitFilterForm, UnitPeriodForm
from taizhang.core.periods import YEARS
from taizhang.documents.output.scripts import SCRIPTS, SIMPLIFIED, choices_text


def _in_range(day):
    """A day the documents can print and a period can name (year 1–9999 overflows next month's arithmetic)."""
    if day is not None and day.year not in YEARS:
        raise ValidationError(
            gettext("日期 %(day)s 超出可用范围（%(first)s—%(last)s 年）。")
            % {"day": f"{day:%Y-%m-%d}", "first": min(YEARS), "last": max(YEARS)}
        )
    return day


def _invalid_script_message() -> str:
    # %(value)s is left for the field to fill in
    return gettext("不支持的字形“%(value)s”，可选：%(choices)s。").replace("%(choices)s", choices_text())


_invalid_script = lazy(_invalid_script_message, str)


class WrittenOnForm(forms.Form):
    """The summary page's 落款日期 and script (the preview and its downloads read both)."""

    date = DateField(
        label=_("落款日期"), required=False, help_text=_("留空：已结束的期间取期末后第一个满五天的工作日")
    )
    script = forms.ChoiceField(
        label=_("字形"),
        choices=[(code, s.choice) for code, s in SCRIPTS.items()],
        required=False,
        error_messages={"invalid_choice": _invalid_script()},
    )

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class DocumentForm(UnitFilterForm):
    """A unit the login reads in full and a period: what every unit-wide document is asked with."""

    unit = UnitField(empty_label=None, required=True)
    period = PeriodField(label=_("期间"), help_text=_("如 2020、2020H1、2020Q3"))
    date = DateField(label=_("落款日期"), required=False)
    script = WrittenOnForm.base_fields["script"]
    as_of = DateField(label=_("核查日期"), required=False, help_text=_("考核评分表计至此日，留空为今天"))
    children = forms.BooleanField(label=_("含下级单位"), required=False)
    personal = forms.BooleanField(label=_("人员名册含手机号码"), required=False)

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_as_of(self):
        return _in_range(self.cleaned_data.get("as_of"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class BatchForm(UnitFilterForm):
    """A batch: the top unit (its whole visible subtree is done), a period, what to produce."""

    KINDS = [("summaries", _("工作总结（每个单位一份 .docx）")), ("ledgers", _("台账（每个单位一份 .xlsx）"))]

    kind = forms.ChoiceField(label=_("生成"), choices=KINDS)
    unit = UnitField(empty_label=None, required=True, label=_("单位（含全部下级单位）"))
    period = PeriodField(label=_("期间"), help_text=_("如 2020、2020H1"))
    date = DateField(label=_("落款日期"), required=False, help_text=_("工作总结的落款日期，留空取默认"))
    script = WrittenOnForm.base_fields["script"]
    field_order = ["kind", "unit", "period", "date", "script"]

    def clean_date(self):
        return _in_range(self.cleaned_data.get("date"))

    def clean_script(self):
        return self.cleaned_data.get("script") or SIMPLIFIED


class SummaryForm(UnitPeriodForm):
    """The unit and period a summary's address names: the same fields as every filter form."""

    unit = UnitField(empty_label=None, required=True)
    period = PeriodField(label=_("期间"), help_text=_("如 2020H1 或 2020"))
