from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.channels.models import ChannelKind, ChannelStatus
from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField
from taizhang.org.models import Person


class ChannelForm(RecordForm):
    person_fields = ("administrator",)
    kind = forms.ChoiceField(label=_("类型"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("名称"), max_length=120)
    administrator = forms.ModelChoiceField(label=_("管理员"), queryset=Person.objects.none())
    members_count = forms.IntegerField(label=_("成员数"), required=False, min_value=0)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    opened_on = DateField(label=_("启用日期"))
    registered_on = DateField(label=_("备案日期"), required=False)
    last_reviewed_on = DateField(label=_("最近检查日期"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ChannelStatus.choices, initial="active")
