from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordForm
from taizhang.core.forms import DateField, HighlightField, TextField
from taizhang.org.models import Person
from taizhang.reporting.models import Level, Submission, SubmissionKind


class SubmissionForm(RecordForm):
    person_fields = ("author",)
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=SubmissionKind.choices)
    author = forms.ModelChoiceField(label=_("报送人"), queryset=Person.objects.none())
    date = DateField(label=_("报送日期"))
    target = forms.CharField(label=_("报送刊物"), max_length=120, required=False)
    text = TextField(label=_("正文"), required=False, rows=6)
    highlight = HighlightField()


class AdoptionForm(RecordForm):
    submission = forms.ModelChoiceField(label=_("报送信息"), queryset=Submission.objects.none())
    level = forms.ChoiceField(label=_("采用层级"), choices=Level.choices)
    publication = forms.CharField(label=_("刊物"), max_length=120, required=False)
    issue_year = forms.IntegerField(label=_("期号年份"), required=False)
    issue_no = forms.IntegerField(label=_("期号"), required=False)
    outlet = forms.CharField(label=_("采用媒体"), max_length=120, required=False)
    date = DateField(label=_("采用日期"))

    def __init__(self, *args, unit, instance=None, **kwargs):
        super().__init__(*args, unit=unit, instance=instance, **kwargs)
        self.fields["submission"].queryset = Submission.objects.filter(unit__path__startswith=unit.path)
        if instance is not None:
            self.fields["submission"].disabled = True

    def service_data(self) -> dict:
        data = super().service_data()
        if self.fields["submission"].disabled:
            data.pop("submission")
        return data


class ArticleForm(RecordForm):
    person_fields = ("author",)
    title = forms.CharField(label=_("标题"), max_length=200)
    outlet = forms.CharField(label=_("媒体"), max_length=120)
    outlet_level = forms.ChoiceField(label=_("媒体层级"), choices=Level.choices)
    author = forms.ModelChoiceField(label=_("作者"), queryset=Person.objects.none(), required=False)
    date = DateField(label=_("刊发日期"))
    link = forms.URLField(label=_("链接"), required=False, assume_scheme="https")
    highlight = HighlightField()
