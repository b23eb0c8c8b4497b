"""Activity pages: list with filters, detail, create and edit with attendance, delete and restore, an
attachment. Thin: parse, call, render. Signing in and a member's own page are ``attendance_views``;
importing a ledger ``import_views``."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from taizhang.core import stamps, tables
from taizhang.core.crud import writable_unit_from
from taizhang.core.forms import add_service_errors, filter_query
from taizhang.ledger import queries, services
from taizhang.ledger.filters import COLUMNS, SORTABLE, ActivityFilterSet
from taizhang.ledger.forms import ActivityForm
from taizhang.ledger.hooks import counting
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.org.models import Person, Unit
from taizhang.org.queries import organisation_people
from taizhang.org.scope import can_read, can_write, reads_subtree, scope, scope_key

ERROR_LABELS = {"attendance": _("考勤")}


readable_activities = queries.readable_activities


@dataclass
class ListedActivity:
    """One row of the list: what the table shows and what its standing reads (``rules.counting``),
    without the model instances (fifty rows of activity, unit, kind and host cost more to make
    than the three queries of the page)."""

    pk: int
    date: date
    topic: str
    unit: Unit
    kind: ActivityKind
    host_id: int | None
    minutes: bool  # whether it has minutes: all the standing reads of them
    has_attendance: bool
    has_attachment: bool
    host_name: str = ""
    url: str = ""
    standing: object = None

    @property
    def unit_id(self) -> int:
        return self.unit.pk


UNIT_SHOWN = ("id", "name", "short_name", "kind", "path")
KIND_SHOWN = ("id", "code", "name", "name_en")


def listed(ids, unit: Unit | None = None) -> list[ListedActivity]:
    """The page's rows, the activities ``ids`` (the filtered list's, of those the login may read)
    with what their standing reads, as ``ListedActivity``. For a list narrowed to ``unit`` they are
    kept until a write in its subtree (``core.stamps``; the kinds, until the deployment's
    generation moves) under the ids alone: the same rows for every login and filter that lists
    them. Compiling their query (two subqueries, three joins) was a tenth of the page. The hosts'
    names are read each time: a host may be a person of a unit above the subtree."""
    if unit is None:
        rows = _listed_rows(ids)
    else:
        rows = stamps.cached(
            "activity-rows", unit_id=unit.pk, parts=tuple(ids), compute=lambda: _listed_rows(ids)
        )
    hosts = {row.host_id for row in rows if row.host_id is not None}
    # as the join read them: a host since deleted is still named
    names = dict(Person._base_manager.filter(pk__in=hosts).values_list("pk", "name")) if hosts else {}
    for row in rows:
        row.host_name = names.get(row.host_id) or ""
    return rows


def _listed_rows(ids) -> list[ListedActivity]:
    """The activities ``ids`` as ``ListedActivity`` (their hosts unnamed), each unit and kind made once."""
    rows = counting.with_evidence(Activity.objects.filter(pk__in=ids).order_by())
    values = rows.values(
        "pk",
        "date",
        "topic",
        "host_id",
        "has_attendance",
        "has_attachment",
        *(f"unit__{name}" for name in UNIT_SHOWN),
        *(f"kind__{name}" for name in KIND_SHOWN),
        has_minutes=ExpressionWrapper(~Q(minutes=""), output_field=BooleanField()),
    )
    units: dict[int, Unit] = {}
    kinds: dict[int, ActivityKind] = {}
    out = []
    for row in values:
        unit = units.get(row["unit__id"])
        if unit is None:
            unit = units[row["unit__id"]] = Unit.from_db(
                None, UNIT_SHOWN, [row[f"unit__{name}"] for name in UNIT_SHOWN]
            )
        kind = kinds.get(row["kind__id"])
        if kind is None:
            kind = kinds[row["kind__id"]] = ActivityKind.from_db(
                None, KIND_SHOWN, [row[f"kind__{name}"] for name in KIND_SHOWN]
            )
        out.append(
            ListedActivity(
                pk=row["pk"],
                date=row["date"],
                topic=row["topic"],
                unit=unit,
                kind=kind,
                host_id=row["host_id"],
                minutes=row["has_minutes"],
                has_attendance=row["has_attendance"],
                has_attachment=row["has_attachment"],
            )
        )
    return out


def activity_list(request):
    """The filtered list (ledger.filters: the same filters as ``/api/activities/``), a page at a time
    or downloaded whole (``export=csv|xlsx``)."""
    query = filter_query(request)
    # the rows to filter are known once the unit is (``_listed_from``): none until then
    filterset = ActivityFilterSet(query, queryset=Activity.objects.none(), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    filterset.queryset = _listed_from(request.user, filterset.unit)
    activities = filterset.qs if valid else Activity.objects.none()
    export = tables.export_format(query)
    if export and valid:
        rows = (
            [f"{a.date:%Y-%m-%d}", a.unit.name, a.kind.name, a.topic, a.host.name if a.host else ""]
            for a in activities.select_related("unit", "kind", "host").iterator(chunk_size=500)
        )
        return tables.export(rows, labels=[label for label, _ in COLUMNS], name="活动台账", fmt=export)
    page = tables.paginate(
        activities,
        request,
        load=lambda ids: listed(ids, filterset.unit),
        kept=_kept_list(filterset, query, request),
    )
    # whether each listed activity counts, and why not: one read of the requirements for the page
    standings = counting.standings_of(page.object_list)
    # the detail page's address made once, not a reverse() per row
    detail = reverse("ledger:activity-detail", args=[0]).removesuffix("0/")
    for activity in page.object_list:
        activity.standing = standings[activity.pk]
        activity.url = f"{detail}{activity.pk}/"
    return render(
        request,
        "ledger/activity_list.html",
        {
            "form": filterset.form,
            "page": page,
            "unit": filterset.unit,
            "query": tables.query_without(query, "page"),
            "head": tables.head(query, COLUMNS, SORTABLE),
            "exports": tables.export_links(query) if valid else [],
        },
        status=400 if filterset.form.errors else 200,
    )


def _listed_from(user, unit: Unit | None):
    """The activities the list filters: those the login may read, or for a unit whose whole subtree
    it reads (``org.scope.reads_subtree``) every activity, which the unit filter then narrows to
    that subtree. The scope's subqueries and its look-up of the login's own activities elsewhere
    were a quarter of the list's time, to leave every row of such a unit in."""
    if reads_subtree(user, unit):
        return Activity.objects.all()
    return readable_activities(user)


def _kept_list(filterset, query, request):
    """For a list narrowed to a unit: its count and its pages' ids kept until a write in the unit's
    subtree (``core.stamps``), under the filters and what the login may read (``scope_key``). A
    county's list counted its twenty thousand activities and sorted them for fifty on every visit."""
    unit = filterset.unit
    if unit is None:
        return None
    asked = (tables.query_without(query, "page", "export"), scope_key(request.user))

    def kept(what, compute):
        return stamps.cached("activity-list", unit_id=unit.pk, parts=(what, *asked), compute=compute)

    return kept


def activity_detail(request, pk: int):
    activity = get_object_or_404(queries.activity_detail(readable_activities(request.user)), pk=pk)
    full = can_read(request.user, activity.unit)
    rows = queries.attendance_shown(activity, request.user)
    return render(
        request,
        "ledger/activity_detail.html",
        {
            "activity": activity,
            "attendance": rows,
            "full": full,
            "summary": queries.attendance_summary(activity),
            "standing": counting.activity_standing(activity) if full else None,
            "can_write": can_write(request.user, activity.unit),
            # The history names who changed what: for those who read the unit's ledger in full.
            "history": queries.activity_history(activity) if full else [],
        },
    )


def activity_create(request):
    unit, choose = writable_unit_from(
        request, what=gettext("活动"), template="ledger/activity_choose_unit.html"
    )
    if unit is None:
        return choose

    people = organisation_people(unit)
    # ?kind=: the kind a to-do line asks for (its link to record the missing work)
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else None
    form = ActivityForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                unit=unit,
                kind=data["kind"],
                date=data["date"],
                topic=data["topic"],
                materials=data["materials"],
                host=data["host"],
                recorder=data["recorder"],
                location=data["location"],
                minutes=data["minutes"],
                highlight=data["highlight"],
                holiday_reason=data["holiday_reason"],
                attendance=form.attendance_entries(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, ERROR_LABELS)
        else:
            _say_standing(request, activity, gettext("活动已登记。"))
            return redirect("ledger:activity-detail", pk=activity.pk)
    return render(
        request,
        "ledger/activity_form.html",
        {
            "form": form,
            "unit": unit,
            "rows": form.attendance_rows(),
            "creating": True,
            "needs": counting.needs_by_kind(unit),
        },
    )


def activity_edit(request, pk: int):
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit", "kind"), request.user, write=True), pk=pk
    )
    people = organisation_people(activity.unit)
    initial = {
        "kind": activity.kind,
        "date": activity.date,
        "topic": activity.topic,
        "materials": activity.materials,
        "host": activity.host,
        "recorder": activity.recorder,
        "location": activity.location,
        "minutes": activity.minutes,
        "highlight": activity.highlight,
        "holiday_reason": activity.holiday_reason,
        "version": activity.version,
    }
    form = ActivityForm(request.POST or None, initial=initial, people=people)
    form.fields["version"].required = True  # an edit must say which state it read
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.activity_update(
                activity=activity,
                expected_version=version,
                attendance=form.attendance_entries(),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, ERROR_LABELS)
        else:
            _say_standing(request, activity, gettext("修改已保存。"))
            return redirect("ledger:activity-detail", pk=activity.pk)
    return render(
        request,
        "ledger/activity_form.html",
        {
            "form": form,
            "unit": activity.unit,
            "activity": activity,
            "rows": form.attendance_rows(activity),
            "needs": counting.needs_by_kind(activity.unit),
        },
    )


def _say_standing(request, activity: Activity, saved: str) -> None:
    """The message after a save: saved, and whether the record counts (a warning when it does not)."""
    standing = counting.activity_standing(activity)
    if standing.standings and not standing.counts:
        titles = pgettext("list separator", "、").join(
            counting.rule_title(rule) for rule in standing.left_out_of
        )
        messages.warning(
            request,
            gettext("%(saved)s%(words)s（%(titles)s）。")
            % {"saved": saved, "words": standing.words, "titles": titles},
        )
    else:
        messages.success(request, saved)


activity_edit.model = Activity  # what it edits, as RecordPages says it (tests find edit forms by it)


def activity_delete(request, pk: int):
    """Soft delete after a confirmation: the activity leaves lists and counts until an admin restores it."""
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit"), request.user, write=True), pk=pk
    )
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(
            request,
            gettext("活动“%(activity_topic)s”已删除，可在“已删除的活动”中恢复。")
            % {"activity_topic": activity.topic},
        )
        return redirect("ledger:activity-list")
    return render(request, "ledger/activity_confirm_delete.html", {"activity": activity})


def activity_deleted_list(request):
    """Deleted activities of the units the user administers, newest first, each restorable."""
    deleted = scope(Activity.all_objects.filter(deleted=True), request.user, write=True)
    page = Paginator(deleted.select_related("unit", "kind").order_by("-updated"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ledger/activity_deleted_list.html", {"page": page})


def activity_restore(request, pk: int):
    activity = get_object_or_404(
        scope(Activity.all_objects.filter(deleted=True), request.user, write=True), pk=pk
    )
    if request.method != "POST":
        return redirect("ledger:activity-deleted")
    services.activity_restore(activity=activity)
    messages.success(
        request,
        gettext("活动“%(activity_topic)s”已恢复，考勤随之恢复。") % {"activity_topic": activity.topic},
    )
    return redirect("ledger:activity-detail", pk=activity.pk)


def activity_attachment_add(request, pk: int):
    """Upload a file to an activity; a refused file leaves a message on the activity page and no trace."""
    activity = get_object_or_404(scope(Activity.objects.all(), request.user, write=True), pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, gettext("附件：请选择要上传的文件。"))
        else:
            try:
                services.attachment_create(activity=activity, upload=upload)
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    messages.error(request, gettext("附件：%(message)s") % {"message": message})
            else:
                messages.success(
                    request, gettext("附件“%(upload_name)s”已上传。") % {"upload_name": upload.name}
                )
    return redirect("ledger:activity-detail", pk=activity.pk)
