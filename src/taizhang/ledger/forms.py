"""The activity form and its attendance grid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import DateField, HighlightField, PeriodField, TextField, UnitFilterForm
from taizhang.ledger.models import Activity, ActivityKind, AttendanceStatus
from taizhang.ledger.services import AttendanceEntry
from taizhang.org.models import Person


class ActivityFilterForm(UnitFilterForm):
    kind = forms.ModelChoiceField(
        label=_("活动类型"),
        queryset=ActivityKind.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("全部"),
    )
    period = PeriodField(label=_("期间"), required=False, help_text=_("如 2020、2020H1、2020Q3、2020-05"))


class ActivityForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("活动类型"), queryset=ActivityKind.objects.all(), to_field_name="code"
    )
    date = DateField(label=_("日期"))
    # Asked only when the date is a public holiday: the service refuses such a day without it.
    holiday_reason = forms.CharField(
        label=_("节假日开展说明"),
        max_length=200,
        required=False,
        help_text=_("仅当活动确在法定节假日开展时填写原因（如：国庆升旗仪式、防汛值守）"),
    )
    topic = forms.CharField(label=_("主题"), max_length=200)
    materials = TextField(label=_("学习材料"), required=False, rows=3, help_text=_("每行一份材料"))
    host = forms.ModelChoiceField(label=_("主持人"), queryset=Person.objects.none(), required=False)
    recorder = forms.ModelChoiceField(label=_("记录人"), queryset=Person.objects.none(), required=False)
    location = forms.CharField(label=_("地点"), max_length=120, required=False)
    minutes = TextField(label=_("会议记录"), required=False, rows=6)
    highlight = HighlightField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        self.fields["host"].queryset = people
        self.fields["recorder"].queryset = people
        self.fields["host"].error_messages["invalid_choice"] = gettext("所选主持人不属于本单位，请重新选择。")
        self.fields["recorder"].error_messages["invalid_choice"] = gettext(
            "所选记录人不属于本单位，请重新选择。"
        )

    def attendance_rows(self, activity: Activity | None = None):
        """One row per person of the organisation with the status and reason shown in the grid."""
        current = {}
        if activity is not None:
            current = {row.person_id: row for row in activity.attendances.all()}
        rows = []
        for person in self.people:
            if self.is_bound:
                status = self.data.get(f"att-{person.pk}", "")
                reason = self.data.get(f"reason-{person.pk}", "")
            else:
                row = current.get(person.pk)
                status = row.status if row else ""
                reason = row.reason if row else ""
            rows.append({"person": person, "status": status, "reason": reason})
        return rows

    def attendance_entries(self) -> list[AttendanceEntry]:
        """The grid as the service takes it; people left blank were not due to attend."""
        entries = []
        for person in self.people:
            status = self.data.get(f"att-{person.pk}", "")
            if status:
                entries.append(
                    AttendanceEntry(
                        person=person, status=status, reason=self.data.get(f"reason-{person.pk}", "")
                    )
                )
        return entries

    statuses = AttendanceStatus.choices


class ReflectionForm(forms.Form):
    """A member's study reflection, written on a phone."""

    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    date = DateField(label=_("日期"))
    text = TextField(label=_("正文"), rows=5, error_messages={"required": _("请填写正文。")})
