"""People, posts, the responsibility matrix and logins, kept on the web by a unit's admins.

Thin: parse with ``org.forms``, write with ``org.services``, scope with ``org.scope``. Leaders read
the people of the units they see (without phone numbers); a member has no page here; an object of a
unit the login does not administer answers 404 on every page that changes it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from taizhang.core.forms import UnitFilterForm, add_service_errors, saved
from taizhang.core.history import history_entries
from taizhang.org import services
from taizhang.org.forms import (
    EndForm,
    LoginForm,
    PersonForm,
    PositionEditForm,
    PositionForm,
    ResponsibilityForm,
)
from taizhang.org.models import Area, Duty, Grant, Person, Position, Responsibility
from taizhang.org.queries import password_change_pending
from taizhang.org.scope import can_see_personal_data, can_write, scope, visible_units, writable_units


def _readers_only(request) -> None:
    """Members (and logins with no unit) have no people pages: 404, as for any page not theirs."""
    if not visible_units(request.user).exists():
        raise Http404(gettext("您没有可以查看的单位。"))


def _current(day):
    return Q(end__isnull=True) | Q(end__gte=day)


# -- people ------------------------------------------------------------------------------------
def person_list(request):
    _readers_only(request)
    form = UnitFilterForm(request.GET or None, user=request.user)
    writes = writable_units(request.user).exists()
    left = writes and request.GET.get("left") == "1"
    rows = Person.objects.none()
    if form.is_valid() or not form.is_bound:
        unit = form.cleaned_data.get("unit") if form.is_bound else None
        base = Person.all_objects.filter(deleted=True) if left else Person.objects.all()
        rows = scope(base, request.user, write=left)
        if unit is not None:
            rows = rows.filter(unit__path__startswith=unit.path)
    today = timezone.localdate()
    rows = rows.select_related("unit", "user").prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.filter(_current(today)).select_related("unit"),
            to_attr="current_posts",
        )
    )
    page = Paginator(rows.order_by("unit__path", "name", "id"), 50).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.show_phone = can_see_personal_data(request.user, person.unit)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "writes": writes, "left": left, "query": query.urlencode()}
    return render(request, "org/person_list.html", context, status=400 if form.errors else 200)


def _readable_person(request, pk: int) -> Person:
    base = Person.all_objects.select_related("unit", "user")
    return get_object_or_404(scope(base, request.user), pk=pk)


def _writable_person(request, pk: int, *, live: bool = True) -> Person:
    base = (Person.objects if live else Person.all_objects).select_related("unit", "user")
    return get_object_or_404(scope(base, request.user, write=True), pk=pk)


def _person_history(person: Person, user, *, personal: bool) -> list[dict]:
    """The person's own changes, their posts', duties' and login's grants', newest first; without ``personal``
    (a reader who may not see the phone number) a change of phone is not shown either. Posts, duties
    and grants in units the reader does not see are not shown (they are not the reader's business)."""
    entries = history_entries(
        list(person.history.select_related("history_user")), lambda r: gettext("人员信息")
    )
    if not personal:
        phone = str(Person._meta.get_field("phone").verbose_name)
        for entry in entries:
            entry["changes"] = [c for c in entry["changes"] if c["field"] != phone]
        entries = [e for e in entries if e["changes"] or e["what"] == "创建"]
    units = visible_units(user).values("pk")
    for model, key, subject in (
        (
            Position,
            {"person_id": person.pk},
            lambda r: gettext("任职·%(post)s") % {"post": r.get_post_display()},
        ),
        (Responsibility, {"person_id": person.pk}, lambda r: gettext("责任分工")),
        (
            Grant,
            {"user_id": person.user_id},
            lambda r: gettext("授权·%(unit)s·%(role)s") % {"unit": r.unit, "role": r.get_role_display()},
        ),
    ):
        if None in key.values():
            continue
        records = list(model.history.filter(unit_id__in=units, **key).select_related("history_user"))
        for pk in {r.id for r in records}:
            entries += history_entries([r for r in records if r.id == pk], subject)
    return sorted(entries, key=lambda e: e["when"], reverse=True)


def _detail(request, person: Person, *, status: int = 200, **forms):
    writable = not person.deleted and can_write(request.user, person.unit)
    user = person.user
    personal = can_see_personal_data(request.user, person.unit)
    context = {
        "person": person,
        "show_phone": personal,
        "can_write": writable,
        "can_restore": person.deleted and can_write(request.user, person.unit),
        "positions": scope(Position.objects.filter(person=person), request.user)
        .select_related("unit")
        .order_by("-start", "-id"),
        "today": timezone.localdate(),
        "duties": scope(Responsibility.objects.filter(person=person), request.user).select_related(
            "unit", "area"
        ),
        # Posts, duties and grants on units this login sees; others are not its business.
        "grants": scope(Grant.objects.filter(user=user), request.user).select_related("unit")
        if user is not None
        else [],
        "history": _person_history(person, request.user, personal=personal),
        # An admin who handed out a one-time password sees whether the person has replaced it yet.
        "password_pending": user is not None and password_change_pending(user),
    }
    if writable:
        # A login that holds more than this admin does is not theirs to reset or stop: not offered.
        context["beyond"] = user is not None and services.login_beyond_admin(user, request.user)
        context.update(
            end_form=forms.get("end_form") or EndForm(label=gettext("离开日期")),
            login_form=forms.get("login_form") or LoginForm(user=request.user, person=person),
            writable_grants={g.pk for g in scope(Grant.objects.filter(user=user), request.user, write=True)}
            if user is not None
            else set(),
        )
    return render(request, "org/person_detail.html", context, status=status)


def person_detail(request, pk: int):
    return _detail(request, _readable_person(request, pk))


def person_create(request):
    if not writable_units(request.user).exists():
        raise Http404(gettext("您没有可以登记人员的单位。"))
    initial = {"unit": request.GET.get("unit", "")}
    if request.GET.get("post"):
        initial["post"] = request.GET["post"]
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the person and their first post together, or neither
                person = services.person_create(**form.person_data())
                post = form.post_data()
                if post is not None:
                    services.position_create(person=person, unit=person.unit, **post)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("已登记人员：%(name)s。") % {"name": person.name})
            return redirect("org:person-detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "creating": True})


def person_edit(request, pk: int):
    person = _writable_person(request, pk)
    form = PersonForm(request.POST or None, user=request.user, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                record=person, expected_version=form.cleaned_data["version"], **form.person_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("修改已保存。"))
            return redirect("org:person-detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


person_edit.model = Person  # the edit-form round-trip test finds edit views by these
person_edit.unit_field = "unit"


@require_POST
def person_end(request, pk: int):
    person = _writable_person(request, pk)
    form = EndForm(request.POST, label=gettext("离开日期"))
    if form.is_valid():
        try:
            services.person_end(person=person, day=form.cleaned_data["end"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, gettext("%(name)s已办理离开，现任职务已结束；需要时可恢复。") % {"name": person.name}
            )
            return redirect("org:person-detail", pk=person.pk)
    return _detail(request, person, status=400, end_form=form)


@require_POST
def person_restore(request, pk: int):
    person = get_object_or_404(
        scope(Person.all_objects.filter(deleted=True), request.user, write=True), pk=pk
    )
    services.person_restore(person=person)
    messages.success(request, gettext("已恢复%(name)s；如仍任职，请重新登记其任职。") % {"name": person.name})
    return redirect("org:person-detail", pk=person.pk)


def _password_page(request, person: Person, password: str, *, created: bool):
    response = render(
        request, "org/password.html", {"person": person, "password": password, "created": created}
    )
    response["Cache-Control"] = "no-store"  # shown once: never kept by the browser or a proxy
    return response


@require_POST
def person_login(request, pk: int):
    person = _writable_person(request, pk)
    form = LoginForm(request.POST, user=request.user, person=person)
    if form.is_valid():
        try:
            grant, password = services.login_grant(
                person=person,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                username=form.cleaned_data.get("username", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if password is not None:
                return _password_page(request, person, password, created=True)
            messages.success(
                request,
                gettext("已授权：%(unit)s·%(role)s。")
                % {"unit": grant.unit, "role": grant.get_role_display()},
            )
            return redirect("org:person-detail", pk=person.pk)
    return _detail(request, person, status=400, login_form=form)


@require_POST
def person_password(request, pk: int):
    person = _writable_person(request, pk)
    try:
        password = services.password_reset(person=person, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org:person-detail", pk=person.pk)
    return _password_page(request, person, password, created=False)


@require_POST
def grant_revoke(request, pk: int):
    grant = get_object_or_404(scope(Grant.objects.select_related("unit"), request.user, write=True), pk=pk)
    person = Person.all_objects.filter(user_id=grant.user_id).first()
    try:
        services.grant_revoke(grant=grant, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("已撤销授权：%(unit)s·%(role)s。")
            % {"unit": grant.unit, "role": grant.get_role_display()},
        )
    return redirect("org:person-detail", pk=person.pk) if person else redirect("org:person-list")


# -- posts -------------------------------------------------------------------------------------
def position_create(request):
    units = writable_units(request.user)
    if not units.exists():
        raise Http404(gettext("您没有可以登记任职的单位。"))
    code = request.POST.get("unit") or request.GET.get("unit")
    unit = units.filter(code=code).first() if code else None
    initial = {k: request.GET[k] for k in ("unit", "post", "person") if request.GET.get(k)}
    form = PositionForm(request.POST or None, user=request.user, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = data["person"] or services.person_create(
                    unit=data["unit"], name=data["new_person"].strip()
                )
                services.position_create(
                    person=person,
                    unit=data["unit"],
                    post=data["post"],
                    title=data["title"],
                    start=data["start"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc, labels={"name": gettext("新人员姓名"), "end": gettext("离任日期")})
        else:
            messages.success(
                request,
                gettext("已登记任职：%(unit)s·%(name)s。") % {"unit": data["unit"], "name": person.name},
            )
            return redirect("org:person-detail", pk=person.pk)
    return render(request, "org/position_form.html", {"form": form, "creating": True})


def _writable_position(request, pk: int) -> Position:
    base = Position.objects.select_related("unit", "person")
    return get_object_or_404(scope(base, request.user, write=True), pk=pk)


def position_edit(request, pk: int):
    position = _writable_position(request, pk)
    form = PositionEditForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(
                record=position, expected_version=form.cleaned_data["version"], **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("修改已保存。"))
            return redirect("org:person-detail", pk=position.person_id)
    return render(request, "org/position_form.html", {"form": form, "position": position})


position_edit.model = Position
position_edit.unit_field = "unit"


@require_POST
def position_end(request, pk: int):
    position = _writable_position(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.position_end(position=position, day=form.cleaned_data["end"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("%(name)s的%(post)s任职已结束。")
                % {"name": position.person.name, "post": position.get_post_display()},
            )
            return redirect("org:person-detail", pk=position.person_id)
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("org:person-detail", pk=position.person_id)


# -- the responsibility matrix ------------------------------------------------------------------
def duties(request):
    """A unit's responsibility matrix: for each area, who is accountable, responsible, supporting."""
    _readers_only(request)
    chooser = UnitFilterForm(request.GET or None, user=request.user)
    chooser.fields["unit"].empty_label = None
    unit = None
    if chooser.is_valid():
        unit = chooser.cleaned_data["unit"]
    elif not chooser.is_bound:
        unit = visible_units(request.user).order_by("path").first()
    if unit is None:
        return render(request, "org/duties.html", {"chooser": chooser}, status=400)
    writable = can_write(request.user, unit)
    form = None
    if writable:
        form = ResponsibilityForm(
            request.POST if request.method == "POST" else None, user=request.user, unit=unit
        )
        posted = request.method == "POST" and form.is_valid()
        if posted and saved(form, lambda: services.responsibility_set(unit=unit, **form.cleaned_data)):
            messages.success(request, gettext("责任分工已保存。"))
            return redirect(f"{request.path}?unit={unit.code}")
    elif request.method == "POST":
        raise Http404(gettext("您不能修改该单位的责任分工。"))
    cells = {}
    for row in Responsibility.objects.filter(unit=unit).select_related("person", "area"):
        cells.setdefault((row.area_id, row.duty), []).append(row)
    table = [
        (area, [cells.get((area.pk, duty), []) for duty, _ in Duty.choices]) for area in Area.objects.all()
    ]
    context = {
        "chooser": chooser,
        "unit": unit,
        "duty_labels": [label for _, label in Duty.choices],
        "table": table,
        "form": form,
        "can_write": writable,
    }
    return render(
        request, "org/duties.html", context, status=400 if form is not None and form.errors else 200
    )


@require_POST
def responsibility_withdraw(request, pk: int):
    row = get_object_or_404(
        scope(Responsibility.objects.select_related("unit", "person", "area"), request.user, write=True),
        pk=pk,
    )
    services.responsibility_withdraw(responsibility=row)
    messages.success(
        request,
        gettext("已撤销：%(area)s·%(name)s（%(duty)s）。")
        % {"area": row.area, "name": row.person.name, "duty": row.get_duty_display()},
    )
    return redirect(f"{reverse('org:duties')}?unit={row.unit.code}")
