"""A process killed in the middle of a review transition or a bulk write leaves no partial state.

A worker process (``taizhang shell``) runs the real services against a database of its own and kills
itself with SIGKILL right after its N-th SQL statement, N drawn at random over the whole run: inside
a transaction after some of its rows are written, between transactions, just before a commit. Nothing
gets to clean up. A separate process then checks the invariants that a half-done write would break:
a draft's state and round are exactly what its decision log replays to, every row has one history
entry per version, an activity has all of its attendance before or after an edit and never a mix, a
framework version has all of its requirements, and the monthly rollup agrees with the ledger.
"""

from __future__ import annotations

import json
import random
import signal

import pytest

from tests.live import environment, load_demo, taizhang

pytestmark = pytest.mark.slow
KILLS = 8  # random kill points per test, besides the run that is never killed

# Counts the worker's SQL statements and kills the process after statement KILL_AT (0: never), then
# prints how many statements the run took, so a run that is never killed tells the range to draw from.
HARNESS = """
import os, signal
from django.db import connection
kill_at, seen = int(os.environ["KILL_AT"]), [0]
def count_and_maybe_die(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    seen[0] += 1
    if seen[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
with connection.execute_wrapper(count_and_maybe_die):
    work(os.environ["TAG"])
print("statements", seen[0])
"""

REVIEW_WORK = """
from django.utils import timezone
from taizhang.channels.models import Channel
from taizhang.org.models import Unit
from taizhang.review import services as review
unit = Unit.objects.get(code="cppcc")
first = list(review.stage_reviewers(unit, "first").order_by("pk")[:2])
second = review.stage_reviewers(unit, "second").get()
final = review.stage_reviewers(unit, "final").get()
channel = Channel.objects.filter(unit__path__startswith=unit.path, status="active").order_by("pk").first()
author, reviewer = first
def work(tag):
    for i in range(2):
        draft = review.draft_create(
            unit=unit, author=author, title=f"故障测试 {tag}-{i}", text="正文", date=timezone.localdate()
        )
        draft = review.draft_submit(draft=draft, actor=author)
        draft = review.draft_approve(draft=draft, actor=reviewer)
        draft = review.draft_return(draft=draft, actor=second, comment="请补充数据")
        draft = review.draft_submit(draft=draft, actor=author)
        for actor in (reviewer, second, final):
            draft = review.draft_approve(draft=draft, actor=actor, comment="同意")
        review.draft_publish(draft=draft, actor=author, channel=channel)
"""

# Replays every draft's decision log and compares it with the draft; prints the violations as JSON.
REVIEW_CHECK = """
import json
from taizhang.review.models import Draft
problems = []
after = {"approve": {"first": "second", "second": "final", "final": "approved"}}
for draft in Draft.all_objects.prefetch_related("decisions"):
    state, round_ = "drafting", 0
    decisions = sorted(draft.decisions.all(), key=lambda d: d.pk)
    for d in decisions:
        if d.action == "submit":
            state, round_ = "first", round_ + 1
        elif d.action == "approve":
            state = after["approve"][state]
        elif d.action == "return":
            state = "drafting"
        elif d.action == "reject":
            state = "rejected"
        elif d.action == "publish":
            state = "published"
    if (draft.state, draft.round) != (state, round_):
        problems.append(f"{draft.title}: {draft.state}/{draft.round}, its decisions say {state}/{round_}")
    if draft.title.startswith("故障测试"):
        versions = draft.history.count()
        if not draft.version == versions == 1 + len(decisions):
            problems.append(f"{draft.title}: version {draft.version}, {versions} history rows, {len(decisions)} decisions")
        for d in decisions:
            if d.history.count() != 1:
                problems.append(f"{draft.title}: decision {d.pk} has {d.history.count()} history rows")
    if draft.state == "published" and (draft.channel_id is None or draft.published_on is None):
        problems.append(f"{draft.title}: published without its channel or date")
print(json.dumps(problems, ensure_ascii=False))
"""

BULK_WORK = """
from datetime import date
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.services import AttendanceEntry, activity_create, activity_update
from taizhang.org.models import Person, Unit
from taizhang.core.framework_file import rules_file
from taizhang.rules.services import framework_load
DEFAULT_FRAMEWORK = rules_file()
unit = Unit.objects.get(code="cppcc")
kind = ActivityKind.objects.get(code="collective_study")
people = list(Person.objects.filter(unit__path__startswith=unit.path).order_by("pk")[:18])
def attend(group):
    return [AttendanceEntry(person=p, status="present") for p in group]
def work(tag):
    for i in range(2):
        framework_load(path=DEFAULT_FRAMEWORK, slug=f"kill-{tag}-{i}")
        activity = activity_create(
            unit=unit, kind=kind, date=date(2024, 3, 1 + i), topic=f"故障测试 {tag}-{i}", attendance=attend(people[:12])
        )
        activity_update(
            activity=activity, expected_version=activity.version, topic=activity.topic + "（改）",
            attendance=attend(people[6:18]),
        )
"""

BULK_CHECK = """
import json
from taizhang.ledger.models import Activity, Attendance
from taizhang.rules.framework import parse_framework
from taizhang.rules.models import Framework
from taizhang.core.framework_file import rules_file
DEFAULT_FRAMEWORK = rules_file()
problems = []
expected = len(parse_framework(DEFAULT_FRAMEWORK).requirements)
for framework in Framework.objects.filter(slug__startswith="kill-"):
    if framework.requirements.count() != expected:
        problems.append(f"{framework.slug}: {framework.requirements.count()} of {expected} requirements")
for activity in Activity.all_objects.filter(topic__startswith="故障测试"):
    rows = Attendance.all_objects.filter(activity=activity)
    shape = (activity.version, activity.topic.endswith("（改）"), rows.count(), rows.filter(deleted=False).count())
    if shape not in {(1, False, 12, 12), (2, True, 18, 12)}:
        problems.append(f"{activity.topic}: version, edited, attendance rows, present rows = {shape}")
    for record in [activity, *rows]:
        if record.history.count() != record.version:
            problems.append(f"{activity.topic}: {record!r} version {record.version}, {record.history.count()} history rows")
print(json.dumps(problems, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = environment(tmp_path_factory.mktemp("faults"), suffix="faults")
    load_demo(env)
    return env


def _run(env: dict, work: str, *, kill_at: int, tag: str):
    return taizhang({**env, "KILL_AT": str(kill_at), "TAG": tag}, "shell", "-c", work + HARNESS)


def _violations(env: dict, check: str) -> list[str]:
    done = taizhang(env, "shell", "-c", check)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _kill_at_random_points(env: dict, work: str, check: str) -> None:
    clean = _run(env, work, kill_at=0, tag="whole")
    assert clean.returncode == 0, clean.stderr
    statements = int(clean.stdout.strip().splitlines()[-1].split()[-1])
    assert _violations(env, check) == []

    seed = random.randrange(1 << 30)
    points = sorted(random.Random(seed).sample(range(1, statements + 1), KILLS))
    for point in points:
        killed = _run(env, work, kill_at=point, tag=f"{point}")
        assert killed.returncode == -signal.SIGKILL, (seed, point, killed.stderr[-2000:])
        assert _violations(env, check) == [], f"killed after statement {point} of {statements} (seed {seed})"


def test_a_kill_during_review_transitions_leaves_every_draft_where_its_decisions_say(env):
    _kill_at_random_points(env, REVIEW_WORK, REVIEW_CHECK)


def test_a_kill_during_bulk_writes_leaves_whole_records_and_a_true_rollup(env):
    _kill_at_random_points(env, BULK_WORK, BULK_CHECK)
    done = taizhang(env, "ledger", "rollup")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_checks_see_half_written_records(env):
    """The invariants are not vacuous: a decision without its draft's move, a framework without its
    requirements and an activity with only part of its attendance are each reported."""
    half = """
from datetime import date
from django.utils import timezone
from taizhang.ledger.models import Activity, ActivityKind, Attendance
from taizhang.org.models import Unit
from taizhang.review.models import Decision
from taizhang.review.services import draft_create, stage_reviewers
from taizhang.rules.models import Framework
unit = Unit.objects.get(code="cppcc")
author = stage_reviewers(unit, "first").order_by("pk").first()
draft = draft_create(unit=unit, author=author, title="故障测试 half", text="正文", date=date(2024, 5, 1))
Decision.objects.create(draft=draft, round=1, action="submit", actor=author, at=timezone.now())
Framework.objects.create(slug="kill-half", name="half", version=1, source="-", checksum="-")
activity = Activity.objects.create(unit=unit, kind=ActivityKind.objects.get(code="collective_study"), date=date(2024, 5, 1), topic="故障测试 half")
Attendance.objects.create(activity=activity, person=author, status="present")
"""
    done = taizhang(env, "shell", "-c", half)
    assert done.returncode == 0, done.stderr
    review = _violations(env, REVIEW_CHECK)
    assert any("故障测试 half: drafting/0, its decisions say first/1" in p for p in review), review
    bulk = _violations(env, BULK_CHECK)
    assert any(p.startswith("kill-half: 0 of") for p in bulk), bulk
    assert any(
        "故障测试 half: version, edited, attendance rows, present rows = (1, False, 1, 1)" in p for p in bulk
    )
