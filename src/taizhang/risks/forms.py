from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField, TextField
from taizhang.ledger.models import Activity
from taizhang.org.models import Area, Person
from taizhang.org.queries import organisation_of
from taizhang.risks.models import RiskLevel, RiskStatus


class RiskPointForm(RecordForm):
    person_fields = ("owner",)
    title = forms.CharField(label=_("风险点"), max_length=200)
    area = forms.ModelChoiceField(label=_("工作领域"), queryset=Area.objects.all(), required=False)
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    description = TextField(label=_("具体表现"), required=False, rows=3)
    source = forms.CharField(label=_("来源"), max_length=120, required=False)
    measures = TextField(label=_("防范措施"), required=False, rows=3)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=Person.objects.none())
    status = forms.ChoiceField(label=_("状态"), choices=RiskStatus.choices, initial="open")
    identified_on = DateField(label=_("识别日期"))
    review_date = DateField(label=_("下次研判日期"))
    closed_on = DateField(
        label=_("化解日期"), required=False, help_text=_("状态改为已化解或已关闭时填写；不填按当天")
    )
    assessments = forms.ModelMultipleChoiceField(
        label=_("研判会议"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["assessments"].queryset = Activity.objects.filter(
            unit__path__startswith=organisation_of(unit).path, kind__code="assessment"
        )
