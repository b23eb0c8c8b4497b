"""Attendance: a member's own page (their attendance and reflections), and signing in to an activity
by its QR code (the clerk's window, the live list, the member's phone)."""

import functools

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from taizhang.core.forms import saved
from taizhang.ledger import queries, services
from taizhang.ledger.forms import ReflectionForm
from taizhang.ledger.models import Activity, Attendance, AttendanceStatus
from taizhang.org.queries import organisation_of, organisation_people
from taizhang.org.scope import own_person, scope


def mine(request):
    """A member's own page, made for a phone: their attendance, their reflections and a form to add one."""
    person = own_person(request.user)
    form = ReflectionForm(request.POST or None, initial={"date": timezone.localdate()})
    written = request.method == "POST" and person is not None and form.is_valid()
    if written and saved(form, lambda: services.reflection_create(person=person, **form.cleaned_data)):
        messages.success(request, gettext("学习体会已提交。"))
        return redirect("ledger:mine")
    # short on a phone: the form first, then the history ten at a time (each list paged on its own)
    attendance = Paginator(queries.attendance_of(person) if person else [], MINE_PAGE).get_page(
        request.GET.get("page")
    )
    reflections = Paginator(queries.reflections_of(person) if person else [], MINE_PAGE).get_page(
        request.GET.get("rpage")
    )
    return render(
        request,
        "ledger/mine.html",
        {
            "person": person,
            "attendance": attendance,
            "attendance_cards": _attendance_cards(attendance),
            "reflections": reflections,
            "form": form,
        },
    )


MINE_PAGE = 10


def _attendance_cards(page) -> str:
    """A member's attendance, ten to a page, drawn here rather than by the template's loop (a fifth
    of the page each time a member opens 我的, which a 主题党日 has hundreds do at once)."""
    cards = []
    for row in page.object_list:
        activity = row.activity
        url = reverse("ledger:activity-detail", args=[activity.pk])
        meta = f"{activity.date:%Y-%m-%d} · {escape(activity.kind)} · {escape(row.get_status_display())}"
        if row.signed_in_at:
            meta += " · " + gettext("%(time)s 签到") % {
                "time": f"{timezone.localtime(row.signed_in_at):%H:%M}"
            }
        cards.append(
            f'\n  <li class="att-{escape(row.status)}"><a href="{url}">{escape(activity.topic)}</a>\n'
            f'    <span class="meta">{meta}</span></li>\n  '
        )
    return mark_safe("".join(cards))  # every piece escaped above


def _open_window(activity):
    now = timezone.now()
    return activity.sign_in_windows.filter(opens_at__lte=now, closes_at__gte=now).first()


def _attendance(activity) -> tuple[list[Attendance], dict[int, Attendance]]:
    """The activity's attendance read once: who signed in by the QR code, in the order they did,
    and every row by person (the marks)."""
    rows = list(Attendance.objects.filter(activity=activity).select_related("person"))
    signed = [row for row in rows if row.status == AttendanceStatus.PRESENT and row.signed_in_at is not None]
    signed.sort(key=lambda row: row.signed_in_at)
    return signed, {row.person_id: row for row in rows}


def activity_sign_in(request, pk: int):
    """The clerk's sign-in page: open or close the window, show the QR code, mark leave and absence."""
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit", "kind"), request.user, write=True), pk=pk
    )
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                try:
                    minutes = int(request.POST.get("minutes") or 30)
                except ValueError:
                    raise ValidationError({"minutes": gettext("签到时长请填写整数分钟。")}) from None
                services.sign_in_open(activity=activity, opened_by=request.user, minutes=minutes)
                messages.success(request, gettext("已开始签到，请成员扫描二维码。"))
            elif action == "close":
                window = _open_window(activity)
                if window is not None:
                    services.sign_in_close(window=window)
                messages.success(request, gettext("签到已结束。"))
            elif action == "mark":
                person = organisation_people(activity.unit).filter(pk=request.POST.get("person") or 0).first()
                if person is None:
                    raise ValidationError({"person": gettext("所选人员不属于本单位，请重新选择。")})
                services.attendance_mark(
                    activity=activity,
                    person=person,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, gettext("已登记%(person_name)s的考勤。") % {"person_name": person.name}
                )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            return redirect("ledger:activity-sign-in", pk=activity.pk)
    window = _open_window(activity)
    signed, marked = _attendance(activity)
    qr = url = None
    if window is not None:
        url = request.build_absolute_uri(reverse("ledger:sign-in", args=[services.sign_in_token(window)]))
        qr = _qr_svg(url)
    people = _people_marked(activity, marked)
    return render(
        request,
        "ledger/activity_sign_in.html",
        {
            "activity": activity,
            "window": window,
            "qr": qr,
            "url": url,
            "signed": signed,
            "people": people,
            "marks": _mark_forms(people, get_token(request)),
            "errors": errors,
        },
    )


@functools.lru_cache(maxsize=256)
def _qr_svg(url: str) -> str:
    """The QR code of a sign-in link, drawn once per window (the clerk's page reloads after each mark).

    A fixed mask pattern: segno otherwise draws all eight and scores each (8 ms of the page's 25);
    every mask is valid QR and phone cameras read any of them, the score only avoids patterns that
    troubled early scanners."""
    return segno.make(url, error="m", mask=0).svg_inline(scale=5, border=2)


def _people_marked(activity, marked: dict[int, Attendance], *, oob: bool = False) -> list[dict]:
    """Each person of the activity's organisation with their attendance row (``marked``; None: not
    marked) and that row's words as the page shows them (``status``; ``oob``: to be swapped in place
    by htmx)."""
    people = organisation_people(activity.unit)
    return [
        {"person": p, "row": marked.get(p.pk), "status": _status_span(p.pk, marked.get(p.pk), oob=oob)}
        for p in people
    ]


def _status_span(person_id: int, row, *, oob: bool) -> str:
    """A person's attendance as the sign-in page shows it, under an id the live list swaps in place."""
    if row is None:
        words = gettext("未登记")
    else:
        words = escape(row.get_status_display())
        if row.reason:
            words += gettext("（%(reason)s）") % {"reason": escape(row.reason)}
    swap = ' hx-swap-oob="true"' if oob else ""
    return mark_safe(f'<span class="meta" id="status-{person_id}"{swap}>{words}</span>')


def _mark_forms(people: list[dict], csrf_token: str) -> str:
    """The leave and absence list: a small form per person of the organisation. Drawn here rather
    than by the template language, which took most of the clerk's page for a few dozen people
    (the page comes back after every sign-in window opened and every mark)."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    words = _mark_words(get_language())
    lines = []
    for p in people:
        person = p["person"]
        name = escape(person.name)
        lines.append(
            f"\n  <li><strong>{name}</strong> {p['status']}\n"
            f'    <form method="post" class="mark">{csrf}\n'
            '      <input type="hidden" name="action" value="mark">'
            f'<input type="hidden" name="person" value="{person.pk}">\n'
            f'      <select name="status" aria-label="{words["status"] % {"name": name}}">{words["options"]}</select>\n'
            f'      <input name="reason" placeholder="{words["reason"]}" maxlength="200" '
            f'aria-label="{words["reason_of"] % {"name": name}}">\n'
            f'      <button type="submit">{words["mark"]}</button>\n'
            "    </form>\n"
            "  </li>\n"
        )
    return mark_safe("".join(lines))


@functools.lru_cache(maxsize=8)
def _mark_words(language: str | None) -> dict[str, str]:
    """What every person's form says, in the page's language (the same for each person)."""
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == "leave" else ""}>{escape(label)}</option>'
        for value, label in AttendanceStatus.choices
    )
    return {
        "options": options,
        "status": gettext("%(name)s的出勤"),
        "reason": gettext("事由"),
        "reason_of": gettext("%(name)s的事由"),
        "mark": gettext("登记"),
    }


def activity_sign_in_live(request, pk: int):
    """Who has signed in so far: the fragment the sign-in page polls, with every person's status
    swapped in place too (a member who signs in stops being 未登记 without a reload)."""
    activity = get_object_or_404(scope(Activity.objects.all(), request.user, write=True), pk=pk)
    signed, marked = _attendance(activity)
    return render(
        request,
        "ledger/sign_in_live.html",
        {"signed": signed, "people": _people_marked(activity, marked, oob=True), "oob": True},
    )


def sign_in(request, token: str):
    """What a member's phone opens from the QR code: confirm, then recorded present (once)."""
    try:
        window = services.sign_in_window_from_token(token)
        if request.method == "POST":
            # The member's tap, made cheap for a 主题党日's hundreds at once: the window read once,
            # one row written, and a short page back (no list, no QR).
            row = services.attendance_sign_in(token=token, user=request.user, window=window)
            return render(request, "ledger/sign_in_done.html", {"activity": window.activity, "row": row})
    except services.SignInRefused as exc:
        return render(request, "ledger/sign_in_refused.html", {"message": exc.messages[0]}, status=403)
    person = own_person(request.user)
    org = organisation_of(window.activity.unit)
    if person is None or not person.unit.path.startswith(org.path):
        # Refused before the member taps anything, and without telling them which activity it was.
        name = person.name if person else request.user.get_username()
        message = gettext("%(name)s不属于该活动所在单位，不能签到。") % {"name": name}
        return render(request, "ledger/sign_in_refused.html", {"message": message}, status=403)
    return render(
        request,
        "ledger/sign_in.html",
        {"activity": window.activity, "window": window, "person": person, "now": timezone.now()},
    )
