"""Reporting pages (submissions, adoptions, publicity articles) and the points ranking."""

from datetime import date

import django_filters as df
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from taizhang.core.crud import RecordPages
from taizhang.core.forms import UnitPeriodForm, filter_query, remembered_period
from taizhang.core.ranks import nothing_to_rank, places
from taizhang.org.scope import visible_units
from taizhang.reporting import queries, services
from taizhang.reporting.forms import AdoptionForm, ArticleForm, SubmissionForm
from taizhang.reporting.models import Adoption, Article, Level, Submission, SubmissionKind


class SubmissionPages(RecordPages):
    def detail_view(self, request, pk: int, extra: dict | None = None):
        adoptions = Adoption.objects.filter(submission_id=pk).order_by("date", "id")
        return super().detail_view(request, pk, extra={"adoptions": adoptions})


submissions = SubmissionPages(
    model=Submission,
    app="reporting",
    name="submission",
    title=_("报送信息"),
    form=SubmissionForm,
    create=services.submission_create,
    update=services.submission_update,
    columns=[
        (_("标题"), "title"),
        (_("单位"), "unit"),
        (_("类别"), "kind"),
        (_("报送人"), "author"),
        (_("日期"), "date"),
    ],
    record_type="submissions",
    filter_fields={
        "kind": df.ChoiceFilter(label=_("类别"), choices=SubmissionKind.choices, empty_label=_("全部"))
    },
    related=["author"],
    detail_template="reporting/submission_detail.html",
    own="author",  # a member reads the information they reported …
    self_service="author",  # … and reports it themselves, as its author
)
adoptions = RecordPages(
    model=Adoption,
    app="reporting",
    name="adoption",
    title=_("采用情况"),
    form=AdoptionForm,
    create=services.adoption_create,
    update=services.adoption_update,
    columns=[
        (_("采用"), "__str__"),
        (_("报送信息"), "submission"),
        (_("层级"), "level"),
        (_("日期"), "date"),
    ],
    record_type="adoptions",
    filter_fields={
        "level": df.ChoiceFilter(label=_("采用层级"), choices=Level.choices, empty_label=_("全部"))
    },
    related=["submission"],
)
articles = RecordPages(
    model=Article,
    app="reporting",
    name="article",
    title=_("宣传稿件"),
    form=ArticleForm,
    create=services.article_create,
    update=services.article_update,
    columns=[
        (_("标题"), "title"),
        (_("单位"), "unit"),
        (_("媒体"), "outlet"),
        (_("层级"), "outlet_level"),
        (_("日期"), "date"),
    ],
    record_type="publicity_articles",
    filter_fields={
        "outlet_level": df.ChoiceFilter(label=_("媒体层级"), choices=Level.choices, empty_label=_("全部"))
    },
)


def ranking(request):
    """Units ranked by reporting points in a period (the periodic 通报 of adoptions)."""
    query = (filter_query(request) or {}).copy()
    if not query.get("period"):  # the period last chosen on any page, else the current year
        remembered = remembered_period(request)
        query["period"] = remembered.code if remembered else str(date.today().year)
    form = UnitPeriodForm(query, user=request.user)
    rows = []
    if form.is_valid():
        units = visible_units(request.user)
        if form.cleaned_data["unit"] is not None:
            units = units.filter(path__startswith=form.cleaned_data["unit"].path)
        ranked = queries.ranking(units=units.order_by("path")[:500], period=form.cleaned_data["period"])
        if not nothing_to_rank([points for _, points in ranked]):  # all 0: no places to hand out
            rows = [
                (place, tied, unit, points)
                for (unit, points), (place, tied) in zip(ranked, places([p for _, p in ranked]), strict=True)
            ]
    return render(
        request, "reporting/ranking.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )
