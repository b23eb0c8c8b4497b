from django import forms

from taizhang.channels.models import ChannelKind, ChannelStatus
from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField
from taizhang.org.models import Person


class ChannelForm(RecordForm):
    person_fields = ("administrator",)
    kind = forms.ChoiceField(label="类型", choices=ChannelKind.choices)
    name = forms.CharField(label="名称", max_length=120)
    administrator = forms.ModelChoiceField(label="管理员", queryset=Person.objects.none())
    members_count = forms.IntegerField(label="成员数", required=False, min_value=0)
    purpose = forms.CharField(label="用途", max_length=200, required=False)
    opened_on = DateField(label="启用日期")
    registered_on = DateField(label="备案日期", required=False)
    last_reviewed_on = DateField(label="最近检查日期", required=False)
    status = forms.ChoiceField(label="状态", choices=ChannelStatus.choices, initial="active")
