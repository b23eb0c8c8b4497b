"""The three-review state machine: every (state, action, actor) combination, and the rules around it."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from taizhang.channels.models import Channel
from taizhang.org.models import Person, Position, Post
from taizhang.review import services
from taizhang.review.models import Action, Decision, Draft, DraftState, Stage

STATES = ["drafting", "returned", "first", "second", "final", "approved", "rejected", "published"]
ACTIONS = [a.value for a in Action]
ACTORS = ["author", "first", "second", "final", "other"]
_STAGE_OF = {"first": "first", "second": "second", "final": "final"}
_NEXT = {"first": "second", "second": "final", "final": "approved"}


@pytest.fixture
def cast(cppcc):
    def holder(post):
        return Position.objects.filter(unit__path__startswith=cppcc.path, post=post).first().person

    return {
        "author": holder(Post.DESIGNATED_OFFICER),
        "first": holder(Post.OFFICE_DIRECTOR),
        "second": holder(Post.LEADER_IN_CHARGE),
        "final": holder(Post.SECRETARY),
        "other": Person.objects.filter(
            unit__path__startswith=cppcc.path, positions__post=Post.MEMBER
        ).first(),
    }


@pytest.fixture
def channel(cppcc):
    return Channel.objects.filter(unit=cppcc).first()


def _draft_in(state: str, cppcc, cast, channel) -> Draft:
    draft = services.draft_create(
        unit=cppcc, author=cast["author"], title="测试稿", text="正文", date=date(2020, 6, 1)
    )
    if state == "drafting":
        return draft
    draft = services.draft_submit(draft=draft, actor=cast["author"])
    if state == "returned":
        return services.draft_return(draft=draft, actor=cast["first"], comment="请补充数据")
    if state == "rejected":
        return services.draft_reject(draft=draft, actor=cast["first"], comment="不宜发布")
    for stage in ("first", "second", "final"):
        if state == stage:
            return draft
        draft = services.draft_approve(draft=draft, actor=cast[stage])
    if state == "approved":
        return draft
    return services.draft_publish(draft=draft, actor=cast["author"], channel=channel, day=date(2020, 6, 5))


def _expected(state: str, action: str, actor: str) -> str | None:
    """The state after the step, or None when the step must be refused — written from the rules, not the code."""
    current = "drafting" if state == "returned" else state
    if action == "submit":
        return "first" if current == "drafting" and actor == "author" else None
    if action in ("approve", "return", "reject"):
        if current not in _STAGE_OF or actor != _STAGE_OF[current]:
            return None
        return {"approve": _NEXT[current], "return": "drafting", "reject": "rejected"}[action]
    if action == "publish":
        return "published" if current == "approved" and actor in ("author", "final") else None
    raise AssertionError(action)


@pytest.mark.parametrize(("state", "action", "actor"), list(itertools.product(STATES, ACTIONS, ACTORS)))
def test_every_state_action_actor_combination(state, action, actor, cppcc, cast, channel):
    draft = _draft_in(state, cppcc, cast, channel)
    before = (draft.state, draft.version, draft.round, Decision.objects.filter(draft=draft).count())
    expected = _expected(state, action, actor)
    step = lambda: services.draft_act(  # noqa: E731
        draft=draft, action=action, actor=cast[actor], comment="意见", channel=channel, day=date(2020, 6, 6)
    )
    if expected is None:
        with pytest.raises(ValidationError) as info:
            step()
        assert set(info.value.message_dict) & {"state", "actor"}
        draft.refresh_from_db()
        after = (draft.state, draft.version, draft.round, Decision.objects.filter(draft=draft).count())
        assert after == before, "a refused step must leave the draft unchanged"
    else:
        result = step()
        assert result.state == expected
        assert Decision.objects.filter(draft=draft).count() == before[3] + 1


def test_out_of_order_approval_is_refused_with_a_clear_message(cppcc, cast, channel):
    draft = _draft_in("drafting", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_approve(draft=draft, actor=cast["first"])
    assert "不在审核中" in info.value.message_dict["state"][0]
    draft = _draft_in("first", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_approve(draft=draft, actor=cast["final"])
    assert "不能进行初审" in info.value.message_dict["actor"][0]
    draft.refresh_from_db()
    assert draft.state == DraftState.FIRST


def test_the_author_cannot_review_their_own_draft_even_holding_the_post(cppcc, cast, channel):
    services.reviewer_setting_set(unit=cppcc, stage=Stage.FIRST, posts=[Post.DESIGNATED_OFFICER])
    draft = _draft_in("first", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_approve(draft=draft, actor=cast["author"])
    assert "不能审核自己的稿件" in info.value.message_dict["actor"][0]


def test_nobody_reviews_the_same_draft_at_two_stages(cppcc, cast, channel):
    services.reviewer_setting_set(unit=cppcc, stage=Stage.SECOND, posts=[Post.OFFICE_DIRECTOR])
    draft = _draft_in("first", cppcc, cast, channel)
    draft = services.draft_approve(draft=draft, actor=cast["first"])
    with pytest.raises(ValidationError) as info:
        services.draft_approve(draft=draft, actor=cast["first"])
    assert "已在本轮初审中审核过" in info.value.message_dict["actor"][0]
    draft.refresh_from_db()
    assert draft.state == DraftState.SECOND


def test_a_published_draft_cannot_be_reviewed_returned_or_published_again(cppcc, cast, channel):
    draft = _draft_in("published", cppcc, cast, channel)
    for action, actor in [
        ("return", "first"),
        ("approve", "final"),
        ("publish", "author"),
        ("submit", "author"),
    ]:
        with pytest.raises(ValidationError):
            services.draft_act(draft=draft, action=action, actor=cast[actor], comment="x", channel=channel)
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED


def test_a_returned_draft_goes_back_to_its_author_and_starts_again_at_first_review(cppcc, cast, channel):
    draft = _draft_in("second", cppcc, cast, channel)
    draft = services.draft_return(draft=draft, actor=cast["second"], comment="标题不准确")
    assert draft.state == DraftState.DRAFTING
    draft = services.draft_update(record=draft, expected_version=draft.version, title="改后的标题")
    draft = services.draft_submit(draft=draft, actor=cast["author"])
    assert (draft.state, draft.round) == (DraftState.FIRST, 2)
    for stage in ("first", "second", "final"):
        draft = services.draft_approve(draft=draft, actor=cast[stage])
    assert draft.state == DraftState.APPROVED


def test_return_needs_a_comment_and_drafts_under_review_cannot_be_edited(cppcc, cast, channel):
    draft = _draft_in("first", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_return(draft=draft, actor=cast["first"], comment="  ")
    assert "comment" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.draft_update(record=draft, expected_version=draft.version, title="偷偷改")
    assert "只有撰写中" in info.value.message_dict["state"][0]


def test_publishing_needs_an_active_channel_of_the_organisation(cppcc, school, cast, channel):
    draft = _draft_in("approved", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_publish(draft=draft, actor=cast["author"], channel=None)
    assert "channel" in info.value.message_dict
    other = Channel.objects.filter(unit__path__startswith=school.path).first()
    if other is not None:
        with pytest.raises(ValidationError):
            services.draft_publish(draft=draft, actor=cast["author"], channel=other)
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED


def test_a_person_without_a_login_person_is_told_so(cppcc, cast, channel):
    draft = _draft_in("first", cppcc, cast, channel)
    with pytest.raises(ValidationError) as info:
        services.draft_act(draft=draft, action="approve", actor=None)
    assert "没有关联人员" in info.value.message_dict["actor"][0]


def test_a_decision_entered_afterwards_keeps_its_time_in_order(cppcc, cast, channel):
    from datetime import datetime

    from django.utils import timezone

    draft = _draft_in("drafting", cppcc, cast, channel)
    at = timezone.make_aware(datetime(2020, 6, 1, 9))
    draft = services.draft_submit(draft=draft, actor=cast["author"], at=at)
    with pytest.raises(ValidationError) as info:
        services.draft_approve(draft=draft, actor=cast["first"], at=at.replace(hour=8))
    assert "不能早于上一步" in info.value.message_dict["at"][0]
    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, actor=cast["first"], at=timezone.now().replace(year=2999))
    draft.refresh_from_db()
    assert draft.state == DraftState.FIRST


def test_the_unit_decides_which_posts_review_at_each_stage(cppcc, cast, channel):
    services.reviewer_setting_set(unit=cppcc, stage=Stage.FIRST, posts=[Post.MEMBER])
    draft = _draft_in("first", cppcc, cast, channel)
    with pytest.raises(ValidationError):
        services.draft_approve(draft=draft, actor=cast["first"])
    draft = services.draft_approve(draft=draft, actor=cast["other"])
    assert draft.state == DraftState.SECOND


def test_reviewer_settings_refuse_unknown_stages_and_posts(cppcc):
    with pytest.raises(ValidationError) as info:
        services.reviewer_setting_set(unit=cppcc, stage="fourth", posts=["janitor"])
    assert {"stage", "posts"} == set(info.value.message_dict)
    with pytest.raises(ValidationError):
        services.reviewer_setting_set(unit=cppcc, stage=Stage.FINAL, posts=[])


@pytest.mark.parametrize(("state", "actor"), list(itertools.product(STATES, ACTORS)))
def test_the_actions_offered_are_exactly_those_that_would_succeed(state, actor, cppcc, cast, channel):
    draft = _draft_in(state, cppcc, cast, channel)
    expected = [a for a in ACTIONS if _expected(state, a, actor) is not None]
    assert services.draft_actions(draft, cast[actor]) == expected
