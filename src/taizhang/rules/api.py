"""REST endpoints for the compliance check and the to-do list: the same queries as the CLI and the pages.

Both answer a JSON array; the serializers below are what the schema shows for one element.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from taizhang.core.api import bound_form
from taizhang.rules import check as rules_check
from taizhang.rules.engine import STATUS_LABELS
from taizhang.rules.forms import CheckForm, TodoForm
from taizhang.rules.todo import todo_for

STATUSES = list(STATUS_LABELS.items())
TODO_KINDS = [("task", _("任务")), ("requirement", _("要求")), ("risk", _("风险点"))]


class ComplianceRowSerializer(serializers.Serializer):
    """One row of ``rules.check.result_rows``: a requirement judged in one period (for one unit)."""

    requirement = serializers.CharField(help_text=_("要求代码"))
    title = serializers.CharField()
    period = serializers.CharField(help_text=_("被评判的期间，如 2020H1"))
    required = serializers.FloatField(help_text=_("应完成数（比例要求为 0–1）"))
    actual = serializers.FloatField(help_text=_("已完成数"))
    status = serializers.ChoiceField(choices=STATUSES)
    excluded = serializers.IntegerField(help_text=_("因缺少佐证未计入的记录数"))
    excluded_reasons = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text=_("未计入的原因及其记录数")
    )
    unit = serializers.CharField(required=False, help_text=_("单位代码（含下级单位时）"))


class TodoItemSerializer(serializers.Serializer):
    """One line of ``rules.todo.todo_for``: an open task, a near or missed deadline, an overdue risk."""

    kind = serializers.ChoiceField(choices=TODO_KINDS)
    title = serializers.CharField()
    due = serializers.DateField()
    overdue = serializers.BooleanField()
    unit = serializers.CharField(source="unit.code", help_text=_("单位代码"))
    person = serializers.CharField(source="person.name", allow_null=True, help_text=_("责任人"))
    detail = serializers.CharField(allow_blank=True)
    requirement = serializers.CharField(allow_blank=True, help_text=_("要求代码"))


# Examples name demo data, so a schema-driven client (Schemathesis) also tries a request that answers 200.
UNIT = OpenApiParameter(
    "unit",
    str,
    required=True,
    description=_("单位代码"),
    examples=[OpenApiExample(_("政协机关"), value="cppcc")],
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=_("核查日期（默认今天与期末中较早者；年份 1900–9998）"),
    examples=[OpenApiExample(_("2020年6月10日"), value="2020-06-10")],
)


@extend_schema(
    parameters=[
        UNIT,
        OpenApiParameter(
            "period",
            str,
            required=True,
            description=_("期间：2020、2020H1、2020Q3、2020-05"),
            examples=[OpenApiExample(_("2020年上半年"), value="2020H1")],
        ),
        AS_OF,
        OpenApiParameter("with_children", bool, description=_("包括下级单位")),
    ],
    responses=ComplianceRowSerializer(many=True),
)
@api_view(["GET"])
def compliance(request: Request) -> Response:
    """``?unit=CODE&period=P[&as_of=DATE][&with_children=1]`` → the rows of ``taizhang check --json``.

    Unit, period and day are read by the matrix page's form (rules.forms.CheckForm): a value the
    page would mark on its field is a 400 naming that parameter here."""
    data = bound_form(CheckForm, request).cleaned_data
    with_children = request.query_params.get("with_children") in ("1", "true", "yes")
    try:
        check = rules_check.compliance(
            unit=data["unit"], window=data["period"], as_of=data["as_of"], with_children=with_children
        )
    except ValueError as exc:
        raise ValidationError({"as_of": str(exc)}) from None
    return Response(rules_check.result_rows(check))


@extend_schema(parameters=[UNIT, AS_OF], responses=TodoItemSerializer(many=True))
@api_view(["GET"])
def todo(request: Request) -> Response:
    """``?unit=CODE[&as_of=DATE]`` → overdue tasks and requirements due within 30 days."""
    data = bound_form(TodoForm, request).cleaned_data  # the to-do page's form
    items = todo_for(unit=data["unit"], today=data["as_of"])
    return Response(TodoItemSerializer(items, many=True).data)
