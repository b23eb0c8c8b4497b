"""Forms of the people pages: a person, a post, a cell of the responsibility matrix, a login.

Units are chosen with ``UnitField`` from the units the login administers, so a unit outside the
login's scope is an error on the unit field, never a write; cleaned data are the services' keyword
arguments.
"""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import DateField, UnitField
from taizhang.org.models import Area, Duty, Person, Post, Role
from taizhang.org.queries import organisation_of
from taizhang.org.scope import scope

OUTSIDE_SCOPE = _("单位“%(value)s”不在您管理的范围内，请从列表中选择。")
PHONE = RegexValidator(r"^[0-9+\- ]{5,20}$", _("手机号码只能包含数字、空格、+ 和 -（5 至 20 位）。"))


def _admin_unit_field(user, *, label: str) -> UnitField:
    field = UnitField(label=label, required=True, empty_label=gettext("请选择单位"))
    field.error_messages["invalid_choice"] = OUTSIDE_SCOPE
    field.error_messages["required"] = gettext("请选择%(label)s。") % {"label": label}
    field.set_login(user, write=True)
    return field


class PersonForm(forms.Form):
    """A person's record; on creation, optionally their first post in the same unit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("姓名"), max_length=40, error_messages={"required": _("请填写姓名。")})
    job_title = forms.CharField(
        label=_("职务"), max_length=60, required=False, help_text=_("如：办公室主任（人员名单上显示的称呼）")
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False, validators=[PHONE])
    is_party_member = forms.BooleanField(label=_("党员"), required=False, initial=True)
    # The post is what the rules read (who answers for a requirement); its title is the 职务 above,
    # so the form asks for each thing once.
    post = forms.ChoiceField(
        label=_("责任岗位"),
        required=False,
        choices=[("", _("暂不登记")), *Post.choices],
        help_text=_("此人在所在单位为哪些考核要求负责（党组书记负总责，分管领导具体负责……）"),
    )
    start = DateField(label=_("任职日期"), required=False)

    POST_FIELDS = ("post", "start")

    def __init__(self, *args, user, instance: Person | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": instance.version,
                    "unit": instance.unit.code,
                    "name": instance.name,
                    "job_title": instance.job_title,
                    "phone": instance.phone,
                    "is_party_member": instance.is_party_member,
                },
            )
        super().__init__(*args, **kwargs)
        # The unit first: the form reads 所在单位, then who.
        self.fields = {"unit": _admin_unit_field(user, label=gettext("所在单位")), **self.fields}
        if instance is not None:
            for name in self.POST_FIELDS:  # posts are edited on their own, one at a time
                del self.fields[name]
            self.fields["version"].required = True

    def clean(self):
        data = super().clean()
        if data.get("start") and not data.get("post"):
            self.add_error("post", gettext("填写了任职日期，请选择责任岗位。"))
        return data

    def person_data(self) -> dict:
        keys = ("unit", "name", "job_title", "phone", "is_party_member")
        return {k: self.cleaned_data[k] for k in keys}

    def post_data(self) -> dict | None:
        if not self.cleaned_data.get("post"):
            return None
        return {
            **{k: self.cleaned_data[k] for k in self.POST_FIELDS},
            "title": self.cleaned_data["job_title"],
        }


class PositionForm(forms.Form):
    """A new post: a unit the login administers, a post, and who holds it (someone already recorded
    in the unit's organisation, or a new person, recorded in that unit, by name)."""

    unit = UnitField()  # replaced in __init__ with the login's units
    post = forms.ChoiceField(label=_("责任岗位"), choices=[("", _("请选择")), *Post.choices])
    person = forms.ModelChoiceField(
        label=_("任职人"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("（新登记人员，填写下方姓名）"),
    )
    new_person = forms.CharField(
        label=_("新人员姓名"),
        max_length=40,
        required=False,
        help_text=_("任职人尚未登记时填写，将登记在所选单位"),
    )
    title = forms.CharField(
        label=_("岗位说明"), max_length=60, required=False, help_text=_("如：分管宣传思想工作")
    )
    start = DateField(label=_("任职日期"), required=False)

    def __init__(self, *args, user, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _admin_unit_field(user, label=gettext("任职单位"))
        self.fields["post"].error_messages["required"] = gettext("请选择责任岗位。")
        people = scope(Person.objects.select_related("unit"), user, write=True)
        if unit is not None:  # the organisation of the unit asked for: a short list, not the county
            people = people.filter(unit__path__startswith=organisation_of(unit).path)
        self.fields["person"].queryset = people.order_by("unit__path", "name")
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.unit.short_name or p.unit.name}）"
        )
        self.fields["person"].error_messages["invalid_choice"] = gettext(
            "所选人员不在您管理的单位中，请重新选择。"
        )

    def clean(self):
        data = super().clean()
        person, name = data.get("person"), (data.get("new_person") or "").strip()
        if person is None and not name and "person" not in self.errors:
            self.add_error("person", gettext("请选择任职人，或在“新人员姓名”中填写。"))
        if person is not None and name:
            self.add_error("new_person", gettext("已选择任职人时不要再填写新人员姓名。"))
        return data


class PositionEditForm(forms.Form):
    """Correcting a post: its kind, title and dates (who and where stay; a new post is a new row)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    post = forms.ChoiceField(label=_("责任岗位"), choices=Post.choices)
    title = forms.CharField(
        label=_("岗位说明"), max_length=60, required=False, help_text=_("如：分管宣传思想工作")
    )
    start = DateField(label=_("任职日期"), required=False)
    end = DateField(label=_("离任日期"), required=False)

    def __init__(self, *args, instance, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": instance.version,
                "post": instance.post,
                "title": instance.title,
                "start": instance.start,
                "end": instance.end,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", gettext("离任日期不能早于任职日期。"))
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class EndForm(forms.Form):
    """The day a post ends or a person leaves: today unless said otherwise."""

    end = DateField(label=_("离任日期"), error_messages={"required": _("请填写离任日期。")})

    def __init__(self, *args, label: str = _("离任日期"), **kwargs):
        kwargs.setdefault("initial", {"end": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["end"].label = label
        self.fields["end"].error_messages["required"] = gettext("请填写%(label)s。") % {"label": label}


class ResponsibilityForm(forms.Form):
    """One cell of a unit's responsibility matrix: who answers for an area, and how."""

    area = forms.ModelChoiceField(label=_("工作领域"), queryset=Area.objects.all(), empty_label=_("请选择"))
    person = forms.ModelChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), empty_label=_("请选择")
    )
    duty = forms.ChoiceField(label=_("责任类型"), choices=Duty.choices)

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        people = scope(Person.objects.select_related("unit"), user, write=True).filter(
            unit__path__startswith=organisation_of(unit).path
        )
        self.fields["person"].queryset = people.order_by("unit__path", "name")
        self.fields["person"].error_messages["invalid_choice"] = gettext("所选人员不属于本单位，请重新选择。")
        self.fields["area"].error_messages["required"] = gettext("请选择工作领域。")
        self.fields["person"].error_messages["required"] = gettext("请选择责任人。")


# Roles a unit admin may give: never the deployment-wide admin's.
GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.ADMIN]


class LoginForm(forms.Form):
    """A role over a unit for a person; a person without a login also gets a username."""

    username = forms.CharField(
        label=_("登录用户名"),
        max_length=150,
        required=False,
        help_text=_("字母、数字或 @ . + - _，如 zhang-san"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=GRANTABLE_ROLES)
    unit = UnitField()  # replaced in __init__

    def __init__(self, *args, user, person: Person, **kwargs):
        kwargs.setdefault("initial", {"unit": person.unit.code, "role": Role.MEMBER})
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _admin_unit_field(user, label=gettext("授权单位"))
        if getattr(user, "is_superuser", False):
            self.fields["role"].choices = Role.choices
        if person.user_id is not None:
            del self.fields["username"]
        else:
            self.fields["username"].required = True
            self.fields["username"].error_messages["required"] = gettext("请填写登录用户名。")
