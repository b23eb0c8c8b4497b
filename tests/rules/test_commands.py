"""The ``taizhang check`` and ``framework`` commands as a clerk runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from taizhang.core.framework_file import rules_file


def run_check(*args: str) -> list[dict]:
    out = StringIO()
    call_command("check", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_check_json_reports_each_requirement_with_its_figures(cppcc):
    rows = run_check("--unit", "cppcc", "--period", "2020H1")
    seminar = next(r for r in rows if r["requirement"] == "seminar")
    assert seminar == {
        "requirement": "seminar",
        "title": "每半年至少开展1次专题研讨",
        "period": "2020H1",
        "required": 1.0,
        "actual": 2,
        "status": "met",
        "excluded": 0,
    }


def test_check_json_includes_the_practice_modules_for_both_demos(cppcc, school):
    cppcc_rows = {
        (r["requirement"], r["period"]): r for r in run_check("--unit", "cppcc", "--period", "2020H1")
    }
    for code in ["public_sentiment", "three_review", "channel_registration", "risk_points_reviewed"]:
        assert cppcc_rows[(code, "2020H1")]["status"] == "met", code
    assert cppcc_rows[("publicity_articles", "2020")]["actual"] == 62
    school_rows = {
        (r["requirement"], r["period"]): r for r in run_check("--unit", "school", "--period", "2020")
    }
    assert school_rows[("publicity_articles", "2020")]["status"] == "overdue"
    assert school_rows[("three_review", "2020H2")]["status"] == "met"
    assert not [r for r in [*cppcc_rows.values(), *school_rows.values()] if r["status"] == "not_measured"]


def test_check_with_children_names_the_unit_of_each_row(school):
    rows = run_check("--unit", "school", "--period", "2020Q1", "--with-children")
    assert {r["unit"] for r in rows} >= {"school"}
    assert len({r["unit"] for r in rows}) > 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--unit", "cppcc", "--period", "2020H3"], "2020H3"),
        (["--unit", "nowhere", "--period", "2020"], "nowhere"),
        (["--unit", "cppcc", "--period", "2020", "--as-of", "2019-05-01"], "早于"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(cppcc, args, needle):
    with pytest.raises(CommandError) as caught:
        call_command("check", *args)
    assert caught.value.returncode == 2
    assert needle in str(caught.value) and "\n" not in str(caught.value)


def test_check_without_unit_is_still_djangos_system_check():
    result = subprocess.run(
        [sys.executable, "-m", "taizhang.cli", "check", "--deploy"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "System check identified" in result.stdout + result.stderr


def test_check_table_names_the_status_in_chinese(school):
    out = StringIO()
    call_command("check", "--unit", "school", "--period", "2020-02", stdout=out)
    text = out.getvalue()
    assert "领导干部每月讲一堂微党课" in text and "逾期未完成" in text


def test_todo_prints_due_items_with_their_dates(cppcc):
    out = StringIO()
    call_command("todo", "--unit", "cppcc", "--as-of", "2020-12-10", stdout=out)
    # on 10 December the half year's report to the county is still to come (the demo sends it on the 29th)
    assert (
        "2020-12-31" in out.getvalue()
        and "每半年向上级党组织报告意识形态工作（2020年下半年）" in out.getvalue()
    )


def test_framework_load_of_the_shipped_file_reports_its_version(db):
    out = StringIO()
    call_command("framework", "load", str(rules_file()), stdout=out)
    call_command("framework", "load", str(rules_file()), stdout=out)
    first, second = out.getvalue().splitlines()
    version = yaml.safe_load(rules_file().read_text(encoding="utf-8"))["version"]
    assert f"ideology 第{version}版" in first  # the demo may have loaded it already
    assert second.startswith(f"内容未变，沿用 ideology 第{version}版")
