from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.campaigns.models import Campaign, DonationKind, DonorGroup
from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField, HighlightField, TextField
from taizhang.core.money import format_yuan
from taizhang.org.models import Person


class _CampaignChoice(RecordForm):
    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = Campaign.objects.filter(unit__path__startswith=unit.path)


class CampaignForm(RecordForm):
    title = forms.CharField(label=_("名称"), max_length=200)
    theme = forms.CharField(label=_("主题"), max_length=120, required=False)
    start = DateField(label=_("开始日期"))
    end = DateField(label=_("结束日期"), required=False)
    description = TextField(label=_("说明"), required=False, rows=4)
    highlight = HighlightField()


class DonationForm(_CampaignChoice):
    """``amount`` is typed in 元 (18000、157.3万) and checked by the service, which stores fen."""

    person_fields = ("donor",)
    campaign = forms.ModelChoiceField(label=_("主题活动"), queryset=Campaign.objects.none(), required=False)
    date = DateField(label=_("日期"))
    donor_group = forms.ChoiceField(label=_("捐赠方"), choices=DonorGroup.choices)
    donor = forms.ModelChoiceField(label=_("捐赠人"), queryset=Person.objects.none(), required=False)
    donor_name = forms.CharField(label=_("捐赠方名称"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=DonationKind.choices)
    amount = forms.CharField(
        label=_("金额（元）"), required=False, help_text=_("如 18000 或 157.3万；计件物品可不填")
    )
    item_name = forms.CharField(label=_("物品"), max_length=60, required=False)
    item_count = forms.IntegerField(label=_("数量"), required=False)
    item_unit = forms.CharField(label=_("计量单位"), max_length=10, required=False)

    def initial_from(self, instance) -> dict:
        initial = super().initial_from(instance)
        if instance.amount_fen:
            initial["amount"] = format_yuan(instance.amount_fen).removesuffix("元")
        return initial


class VolunteerActivityForm(_CampaignChoice):
    person_fields = ("participants",)
    campaign = forms.ModelChoiceField(label=_("主题活动"), queryset=Campaign.objects.none(), required=False)
    date = DateField(label=_("日期"))
    title = forms.CharField(label=_("内容"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    hours = forms.IntegerField(label=_("时长（小时）"), min_value=0, initial=0)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"), queryset=Person.objects.none(), required=False
    )


class SelectionForm(_CampaignChoice):
    campaign = forms.ModelChoiceField(label=_("主题活动"), queryset=Campaign.objects.none(), required=False)
    title = forms.CharField(label=_("评选名称"), max_length=200)
    date = DateField(label=_("评选日期"))
    winners = TextField(label=_("获评人员"), rows=5, help_text=_("每行一人"))
