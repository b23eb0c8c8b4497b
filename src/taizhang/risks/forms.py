"""A risk point's form, generated from its model (``core.declared.record_form``): the meetings it may name
are its organisation's assessment meetings."""

from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordForm
from taizhang.core.declared import record_form
from taizhang.core.forms import DateField
from taizhang.ledger.models import Activity
from taizhang.org.queries import organisation_of
from taizhang.risks.models import RiskPoint


class _AssessmentsOfTheOrganisation(RecordForm):
    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["assessments"].queryset = Activity.objects.filter(
            unit__path__startswith=organisation_of(unit).path, kind__code="assessment"
        )


RiskPointForm = record_form(
    RiskPoint,
    (
        "title", "area", "level", "description", "source", "measures", "owner", "status", "identified_on",
        "review_date", "closed_on", "assessments",
    ),
    base=_AssessmentsOfTheOrganisation,
    closed_on=DateField(
        label=_("化解日期"), required=False, help_text=_("状态改为已化解或已关闭时填写；不填按当天")
    ),
)  # fmt: skip
