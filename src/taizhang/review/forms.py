from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.channels.models import Channel, ChannelStatus
from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField, TextField
from taizhang.org.models import Person
from taizhang.org.queries import organisation_of
from taizhang.review.models import Action


class DraftForm(RecordForm):
    person_fields = ("author",)
    author = forms.ModelChoiceField(label=_("作者"), queryset=Person.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    text = TextField(label=_("正文"), rows=10)
    date = DateField(label=_("撰写日期"))


class DecisionForm(forms.Form):
    """One step of the three-review chain, taken by the signed-in person."""

    action = forms.ChoiceField(label=_("操作"), choices=Action.choices)
    comment = TextField(label=_("意见"), required=False, rows=3)
    channel = forms.ModelChoiceField(label=_("发布阵地"), queryset=Channel.objects.none(), required=False)
    day = DateField(label=_("发布日期"), required=False)

    def __init__(self, *args, unit, actions: list[str], **kwargs):
        """``actions``: what the person may do to the draft now (services.draft_actions); the form
        offers those alone, and the publishing fields only when publishing is one of them."""
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, Action(a).label) for a in actions]
        if Action.PUBLISH in actions:
            org = organisation_of(unit)
            self.fields["channel"].queryset = Channel.objects.filter(
                unit__path__startswith=org.path, status=ChannelStatus.ACTIVE
            )
        else:
            del self.fields["channel"], self.fields["day"]
        if not set(actions) & {Action.APPROVE, Action.RETURN, Action.REJECT}:
            del self.fields["comment"]
