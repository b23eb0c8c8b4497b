"""Loading the framework file: whole-file validation with line numbers, and versions."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from taizhang.core.framework_file import rules_file
from taizhang.core.periods import Period
from taizhang.rules.check import compliance
from taizhang.rules.framework import parse_framework
from taizhang.rules.models import Framework, Requirement
from taizhang.rules.services import framework_assign, framework_load

GOOD_REQ = """
  - code: {code}
    title: 测试要求
    area: leadership
    kinds: [{kind}]
    period: {period}
    min: {min}
"""


def write(tmp_path: Path, *reqs: str) -> Path:
    text = rules_file().read_text(encoding="utf-8").split("\nrequirements:")[0]
    path = tmp_path / "mine.yaml"
    path.write_text(text + "\nrequirements:" + "".join(reqs), encoding="utf-8")
    return path


def test_default_file_holds_the_seeds_requirements_and_validates():
    parsed = parse_framework(rules_file())
    assert parsed.errors == []
    codes = {r["code"] for r in parsed.requirements}
    assert len(codes) >= 15
    assert {"ideology_session", "report_upward", "joint_meeting", "micro_lesson", "work_points_plan"} <= codes


def test_every_problem_is_listed_with_its_line_and_nothing_is_written(tmp_path, db):
    path = write(
        tmp_path,
        GOOD_REQ.format(code="a", kind="seminar", period="year", min=1),
        GOOD_REQ.format(code="a", kind="seminar", period="year", min=1),
        GOOD_REQ.format(code="b", kind="no_such_kind", period="year", min=1),
        GOOD_REQ.format(code="c", kind="seminar", period="year", min=-1),
        GOOD_REQ.format(code="d", kind="seminar", period="fortnight", min=1),
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    before = Framework.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("framework", "load", str(path), stderr=StringIO())
    assert caught.value.returncode == 2
    assert Framework.objects.count() == before
    errors = parse_framework(path).errors
    assert len(errors) == 4
    for error, needle in zip(errors, ["重复", "no_such_kind", "min", "fortnight"], strict=True):
        file, line, message = error.split(":", 2)
        assert file == str(path) and needle in message
        assert needle.split("_")[0] in lines[int(line) - 1] or "code" in lines[int(line) - 1]


EVERY_REQ = """
  - code: {code}
    title: 全部符合
    area: publicity
    measure: every
    counts: {counts}
    period: half
    min: {min}
"""


def test_an_every_rule_needs_a_checked_record_type_and_a_percentage(tmp_path):
    path = write(
        tmp_path,
        EVERY_REQ.format(code="ok", counts="published_items", min=100),
        EVERY_REQ.format(code="unchecked", counts="publicity_articles", min=100),
        EVERY_REQ.format(code="too_much", counts="channels", min=120),
    )
    errors = parse_framework(path).errors
    assert len(errors) == 2
    assert "measure every" in errors[0] and "published_items" in errors[0]
    assert "百分比" in errors[1]


def test_an_edited_file_is_a_new_version_and_the_old_one_stays(tmp_path, db):
    first, created = framework_load(
        path=write(tmp_path, GOOD_REQ.format(code="a", kind="seminar", period="year", min=1)), slug="t"
    )
    again, created_again = framework_load(
        path=write(tmp_path, GOOD_REQ.format(code="a", kind="seminar", period="year", min=1)), slug="t"
    )
    edited, _ = framework_load(
        path=write(tmp_path, GOOD_REQ.format(code="a", kind="seminar", period="year", min=3)), slug="t"
    )
    assert created and not created_again and again == first
    assert edited.version == first.version + 1
    assert Requirement.objects.get(framework=first, code="a").min == 1
    assert Requirement.objects.get(framework=edited, code="a").min == 3


def test_a_pinned_unit_keeps_its_version_when_a_new_one_is_loaded(tmp_path, cppcc):
    strict = GOOD_REQ.format(code="seminar_count", kind="seminar", period="half", min=1)
    first, _ = framework_load(path=write(tmp_path, strict), slug="local")
    framework_assign(unit=cppcc, framework=first)
    framework_load(
        path=write(tmp_path, GOOD_REQ.format(code="seminar_count", kind="seminar", period="half", min=5)),
        slug="local",
    )
    check = compliance(unit=cppcc, window=Period.parse("2020H1"), as_of=date(2020, 6, 30))
    [result] = check.results
    assert check.framework == first
    assert (result.required, result.status) == (1, "met")
