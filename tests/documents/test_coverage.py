"""``--strict`` refuses an annual summary one of whose halves holds no record at all."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core.periods import Period
from taizhang.documents.summary.coverage import empty_halves
from taizhang.ledger.models import ActivityKind
from taizhang.ledger.services import activity_create
from taizhang.org.models import UnitKind
from taizhang.org.services import unit_create


def _strict(code: str, period: str, tmp_path):
    call_command(
        "report", "summary", "--unit", code, "--period", period, "--strict", "-o", str(tmp_path / "s.md")
    )


def test_a_year_with_an_empty_half_is_refused_naming_the_half(db, tmp_path):
    organ = unit_create(code="t-half", name="测试局机关", short_name="测试局", kind=UnitKind.ORGAN)
    activity_create(
        unit=organ,
        kind=ActivityKind.objects.get(code="collective_study"),
        date=date(2020, 3, 10),
        topic="学习会",
        minutes="记录",
    )
    assert empty_halves(organ, Period.parse("2020")) == [Period.parse("2020H2")]
    with pytest.raises(CommandError) as refused:
        _strict("t-half", "2020", tmp_path)
    message = str(refused.value)
    assert refused.value.returncode == 1
    assert "测试局机关2020年下半年没有任何记录" in message and "2020H1" in message
    assert not (tmp_path / "s.md").exists()
    with pytest.raises(CommandError) as refused:
        _strict("t-half", "2019", tmp_path)
    assert "2019年上半年、2019年下半年都没有任何记录" in str(refused.value)
    # a record of any type fills a half: an article in November
    from taizhang.reporting.models import Level
    from taizhang.reporting.services import article_create

    article_create(
        unit=organ, date=date(2020, 11, 2), title="稿件", outlet="县融媒体中心", outlet_level=Level.COUNTY
    )
    assert empty_halves(organ, Period.parse("2020")) == []
    assert empty_halves(organ, Period.parse("2020H2")) == []  # only a year is split


def test_the_cppcc_year_has_both_halves_and_passes(cppcc, tmp_path):
    assert empty_halves(cppcc, Period.parse("2020")) == []
    _strict("cppcc", "2020", tmp_path)
    assert "2020年" in (tmp_path / "s.md").read_text(encoding="utf-8")
