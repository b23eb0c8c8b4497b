"""Channels: registration and half-yearly review are counted; a channel needs an administrator."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from taizhang.channels import queries, services
from taizhang.channels.models import Channel
from taizhang.core.periods import Period
from taizhang.documents.summary.facts import summary_facts
from taizhang.org.models import Person, Unit

H1 = Period.parse("2020H1")


def test_a_channel_without_an_administrator_is_refused_and_nothing_written(cppcc):
    before = Channel.all_objects.count()
    with pytest.raises(ValidationError) as info:
        services.channel_create(
            unit=cppcc, kind="wechat_group", name="新群", administrator=None, opened_on=date(2020, 1, 1)
        )
    assert "管理员" in info.value.message_dict["administrator"][0]
    with pytest.raises(ValidationError) as info:
        services.channel_create(
            unit=cppcc, kind="telegram", name="", administrator=None, opened_on=date(2020, 1, 1)
        )
    assert {"kind", "name", "administrator"} <= set(info.value.message_dict)
    assert Channel.all_objects.count() == before


def test_the_demo_channels_are_registered_and_reviewed(cppcc, seed_texts):
    channels = summary_facts(unit=cppcc, period=H1).records["channels"]
    assert len(channels) == 5 and all(c.info["registered"] and c.info["reviewed"] for c in channels)
    kinds = sorted(c.kind for c in channels)
    assert kinds == ["e_screen", "notice_board", "qq_group", "wechat_group", "wechat_group"]
    counted = queries.engine_counts(units=Unit.objects.filter(pk=cppcc.pk), ends=[H1.end])
    assert counted[cppcc.pk] == {("channels", "2020-06"): (5, 0)}  # active, and none lapsed


def test_unregistered_or_unreviewed_channels_are_counted(cppcc, django_assert_max_num_queries):
    admin = Person.objects.filter(unit=cppcc).first()
    services.channel_create(
        unit=cppcc, kind="qq_group", name="未备案群", administrator=admin, opened_on=date(2020, 3, 1)
    )
    old = Channel.objects.filter(unit=cppcc).first()
    services.channel_update(record=old, expected_version=old.version, last_reviewed_on=date(2019, 5, 1))
    with django_assert_max_num_queries(1):
        counts = queries.engine_counts(units=Unit.objects.all(), ends=[H1.end])
    assert counts[cppcc.pk] == {("channels", "2020-06"): (6, 2)}


def test_a_review_date_needs_a_registration(cppcc):
    admin = Person.objects.filter(unit=cppcc).first()
    with pytest.raises(ValidationError) as info:
        services.channel_create(
            unit=cppcc,
            kind="e_screen",
            name="屏",
            administrator=admin,
            opened_on=date(2020, 1, 1),
            last_reviewed_on=date(2020, 2, 1),
        )
    assert "last_reviewed_on" in info.value.message_dict
