"""Small helpers the demo builders share: fictional names, users, attendance lists."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from taizhang.ledger.models import Activity, ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.models import Person, Position, Unit
from taizhang.org.services import grant_create

DEMO_PASSWORD = "taizhang-demo"

# Fictional names: common surnames and given-name characters combined by a seeded generator.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = (
    "建国志明晓红海燕文华丽娟春梅秀英立新玉兰永刚国庆卫东振宇思远佳怡子涵雨欣静怡俊杰浩然欣悦明轩一鸣晨曦"
)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` in the deployment's time zone: when a demo record was written."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class NameMaker:
    """Distinct fictional names, the same on every run."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            length = self.random.choice((1, 2, 2))
            name = self.random.choice(_SURNAMES) + "".join(self.random.choice(_GIVEN) for _ in range(length))
            if name not in self.used:
                self.used.add(name)
                return name


def holder(unit: Unit, post: str) -> Person:
    """Whoever holds ``post`` in ``unit``'s subtree (the demo has one holder per post it asks for)."""
    return (
        Position.objects.filter(unit__path__startswith=unit.path, post=post)
        .select_related("person")
        .first()
        .person
    )


def demo_user(username: str, *, person: Person | None = None, unit: Unit, role: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.email = f"{username}@example.org"  # a reserved domain: reminders print, never reach anyone
        user.save()
    if person is not None and person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
    grant_create(user=user, unit=unit, role=role)
    return user


def roll_call(
    people: Iterable[Person], *, rng: random.Random, leave_rate: float = 0.08, absent_rate: float = 0.0
) -> list[AttendanceEntry]:
    """Attendance for ``people``: most present, a few on leave for a stated reason."""
    reasons = ("公务外出", "下乡调研", "病假", "参加县里会议", "事假")
    out = []
    for person in people:
        draw = rng.random()
        if draw < leave_rate:
            out.append(AttendanceEntry(person=person, status="leave", reason=rng.choice(reasons)))
        elif draw < leave_rate + absent_rate:
            out.append(AttendanceEntry(person=person, status="absent", reason="未说明原因"))
        else:
            out.append(AttendanceEntry(person=person, status="present"))
    return out


def meeting_writer(*, unit: Unit, rng: random.Random, recorder: Person, names: dict[str, str], location: str):
    """``held(kind, day, topic, people, host, materials, location, minutes, highlight)``: one meeting of
    ``unit`` (``record``); ``minutes`` is the clerk's record of it ({host} and the other people's
    ``names`` filled in), so that each record says what happened at it; ``unit`` may name another
    unit than the writer's (a party cell's meeting)."""
    writer_unit = unit

    def held(
        kind,
        day,
        topic,
        people,
        host,
        materials=(),
        location=location,
        minutes="",
        highlight="",
        *,
        unit=None,
    ):
        return record(
            unit=unit or writer_unit,
            kind=kind,
            day=day,
            topic=topic,
            people=people,
            rng=rng,
            host=host,
            recorder=recorder,
            materials=materials,
            location=location,
            minutes=minutes.format(host=host.name, **names),
            highlight=highlight,
        )

    return held


def record(
    *,
    unit: Unit,
    kind: str,
    day: date,
    topic: str,
    people: Iterable[Person],
    rng: random.Random,
    host: Person | None = None,
    recorder: Person | None = None,
    materials: Iterable[str] = (),
    location: str = "",
    minutes: str = "",
    highlight: str = "",
) -> Activity:
    """One activity through the same service the forms use, with sign-in times for those present.

    The host chairs the meeting, so the host is present whatever the roll call drew (the draw is
    still made: the other entries stay those of the same seed)."""
    entries = [
        AttendanceEntry(person=e.person, status="present")
        if host is not None and e.person.pk == host.pk
        else e
        for e in roll_call(people, rng=rng)
    ]
    start = aware(day, 8, 30)
    signed = [
        AttendanceEntry(
            person=e.person,
            status=e.status,
            reason=e.reason,
            signed_in_at=start.replace(minute=rng.randint(5, 29)) if e.status == "present" else None,
        )
        for e in entries
    ]
    return activity_create(
        unit=unit,
        kind=ActivityKind.objects.get(code=kind),
        date=day,
        topic=topic,
        materials="\n".join(materials),
        host=host,
        recorder=recorder,
        location=location,
        minutes=minutes,
        attendance=signed,
        highlight=highlight,
    )


def remove_tree(root: Unit) -> None:
    """Hard-delete a demo organisation and everything recorded under it (only ``demo --reset`` does this).

    Whatever any module recorded against these units or their people goes too: the records that
    protect a unit or a person from deletion are found by Django's collector and removed first,
    so a module added later needs no line here.
    """
    units = list(Unit.all_objects.filter(path__startswith=root.path).order_by("-depth"))
    user_ids = list(
        Person.all_objects.filter(unit__in=units, user__isnull=False).values_list("user_id", flat=True)
    )
    for unit in units:  # leaves first: a unit protects its parent
        _purge(Unit.all_objects.filter(pk=unit.pk))
    get_user_model().objects.filter(pk__in=user_ids).delete()


def _purge(queryset, depth: int = 0) -> None:
    """Delete ``queryset``, first deleting (recursively) whatever protects its rows."""
    if depth > 12:
        raise RuntimeError("演示数据删除时保护关系层级过深")
    for _ in range(20):
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except ProtectedError as exc:
            blockers: dict[type, set] = defaultdict(set)
            for obj in exc.protected_objects:
                blockers[type(obj)].add(obj.pk)
            for model, pks in blockers.items():
                manager = getattr(model, "all_objects", model._default_manager)
                _purge(manager.filter(pk__in=pks), depth + 1)
    raise RuntimeError("演示数据删除未能完成")
