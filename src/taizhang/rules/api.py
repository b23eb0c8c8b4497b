"""REST endpoints for the compliance check and the to-do list: the same queries as the CLI and the pages."""

from datetime import date

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from taizhang.core.periods import Period, PeriodError
from taizhang.org.models import Unit
from taizhang.org.scope import visible_units
from taizhang.rules import queries


def _unit(request: Request) -> Unit:
    code = request.query_params.get("unit")
    if not code:
        raise ValidationError({"unit": "请给出单位代码。"})
    unit = visible_units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def _day(request: Request) -> date | None:
    text = request.query_params.get("as_of")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError({"as_of": f"日期格式不正确：“{text}”（应为 YYYY-MM-DD）"}) from None


UNIT = OpenApiParameter("unit", str, required=True, description="单位代码")
AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="核查日期（默认今天与期末中较早者）")


@extend_schema(
    parameters=[
        UNIT,
        OpenApiParameter("period", str, required=True, description="期间：2020、2020H1、2020Q3、2020-05"),
        AS_OF,
        OpenApiParameter("with_children", bool, description="包括下级单位"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def compliance(request: Request) -> Response:
    """``?unit=CODE&period=P[&as_of=DATE][&with_children=1]`` → the rows of ``taizhang check --json``."""
    unit = _unit(request)
    try:
        window = Period.parse(request.query_params.get("period", ""))
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    with_children = request.query_params.get("with_children") in ("1", "true", "yes")
    try:
        check = queries.compliance(unit=unit, window=window, as_of=_day(request), with_children=with_children)
    except ValueError as exc:
        raise ValidationError({"as_of": str(exc)}) from None
    return Response(queries.result_rows(check))


@extend_schema(parameters=[UNIT, AS_OF], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def todo(request: Request) -> Response:
    """``?unit=CODE[&as_of=DATE]`` → overdue tasks and requirements due within 30 days."""
    items = queries.todo_for(unit=_unit(request), today=_day(request))
    return Response(
        [
            {
                "kind": i.kind,
                "title": i.title,
                "due": i.due,
                "overdue": i.overdue,
                "unit": i.unit.code,
                "person": i.person.name if i.person else None,
                "detail": i.detail,
                "requirement": i.requirement,
            }
            for i in items
        ]
    )
