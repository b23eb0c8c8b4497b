"""The three-review state machine (三审制). Every transition is a function here; nothing else moves a draft.

    drafting --submit(author)--> first --approve--> second --approve--> final --approve--> approved
    first/second/final --return(reviewer, comment)--> drafting (next submit starts round n+1 at 初审)
    first/second/final --reject(reviewer)--> rejected (final)
    approved --publish(author or 终审 reviewer, channel)--> published (final)

Who may decide at a stage: people holding, in the draft's organisation, a post the unit configures
for that stage (``ReviewerSetting``; defaults in ``DEFAULT_REVIEWERS``). Nobody reviews their own
draft, and nobody decides at two stages of the same round, so three approvals mean three people.
A refused transition raises ``ValidationError`` naming why and leaves the draft unchanged.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.channels.models import Channel, ChannelStatus
from taizhang.core.cells import typed_text
from taizhang.core.checks import check_date, check_person, check_text
from taizhang.core.services import record_soft_delete, record_update
from taizhang.org.models import Person, Position, Post, Unit
from taizhang.org.queries import organisation_of
from taizhang.review.models import Action, Decision, Draft, DraftState, ReviewerSetting, Stage

DEFAULT_REVIEWERS: dict[str, tuple[str, ...]] = {
    Stage.FIRST: (Post.OFFICE_DIRECTOR, Post.DESIGNATED_OFFICER),
    Stage.SECOND: (Post.LEADER_IN_CHARGE,),
    Stage.FINAL: (Post.SECRETARY,),
}
_REVIEW_STATES = {
    DraftState.FIRST: Stage.FIRST,
    DraftState.SECOND: Stage.SECOND,
    DraftState.FINAL: Stage.FINAL,
}
_NEXT = {
    DraftState.FIRST: DraftState.SECOND,
    DraftState.SECOND: DraftState.FINAL,
    DraftState.FINAL: DraftState.APPROVED,
}


def reviewer_posts(unit: Unit, stage: str) -> tuple[str, ...]:
    """The posts configured for ``stage`` on the unit, else on its organisation, else the defaults."""
    for candidate in (unit, organisation_of(unit)):
        posts = tuple(
            ReviewerSetting.objects.filter(unit=candidate, stage=stage).values_list("post", flat=True)
        )
        if posts:
            return posts
    return DEFAULT_REVIEWERS[stage]


def stage_reviewers(unit: Unit, stage: str, *, day: date | None = None) -> QuerySet[Person]:
    """People who currently hold a reviewer post for ``stage`` anywhere in the draft's organisation."""
    day = day or timezone.localdate()
    org = organisation_of(unit)
    holders = Position.objects.filter(
        unit__path__startswith=org.path, post__in=reviewer_posts(unit, stage)
    ).exclude(end__lt=day)
    return Person.objects.filter(pk__in=holders.values("person_id"))


@transaction.atomic
def reviewer_setting_set(*, unit: Unit, stage: str, posts: list[str]) -> list[ReviewerSetting]:
    """Make ``posts`` the reviewers of ``stage`` for ``unit`` (replacing what was configured)."""
    errors = {}
    if stage not in Stage.values:
        errors["stage"] = gettext("审核环节“%(stage)s”无效（应为初审、复审或终审）。") % {"stage": stage}
    bad = [p for p in posts if p not in Post.values]
    if bad or not posts:
        errors["posts"] = (
            gettext("审核人职务无效：%(join_bad)s。") % {"join_bad": "、".join(bad)}
            if bad
            else gettext("请至少选择一个审核人职务。")
        )
    if errors:
        raise ValidationError(errors)
    ReviewerSetting.all_objects.filter(unit=unit, stage=stage).delete()
    return [ReviewerSetting.objects.create(unit=unit, stage=stage, post=post) for post in posts]


# -- drafts -------------------------------------------------------------------------------------
def _validate(unit: Unit, data: dict) -> None:
    errors: dict[str, str] = {}
    check_person(unit, data.get("author"), errors, "author", gettext("作者"), required=True)
    check_text(data.get("title"), errors, "title", gettext("标题"))
    check_text(data.get("text"), errors, "text", gettext("正文"))
    check_date(data.get("date"), errors, "date", gettext("撰写日期"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def draft_create(*, unit: Unit, author: Person | None, title: str, text: str, date: date | None) -> Draft:
    _validate(unit, {"author": author, "title": title, "text": text, "date": date})
    draft = Draft(unit=unit, author=author, title=typed_text(title), text=text, date=date)
    draft.full_clean()
    draft.save()
    return draft


def draft_edit_refusal(draft: Draft) -> str | None:
    """Why the draft cannot be edited now, or None: only its author's working copy is editable."""
    if draft.state != DraftState.DRAFTING:
        return gettext("送审稿当前为“%(draft_state)s”，只有撰写中（含退回修改）的稿件可以修改。") % {
            "draft_state": draft.get_state_display()
        }
    return None


@transaction.atomic
def draft_update(*, record: Draft, expected_version: int | None, **changes) -> Draft:
    """Edit a draft's text; only while its author holds it (撰写中), never under review or after."""
    unknown = set(changes) - {"author", "title", "text", "date"}
    if unknown:
        raise TypeError(f"draft_update() got unexpected fields: {sorted(unknown)}")
    refusal = draft_edit_refusal(record)
    if refusal:
        raise ValidationError({"state": refusal})
    merged = {f: changes.get(f, getattr(record, f)) for f in ("author", "title", "text", "date")}
    _validate(record.unit, merged)
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def draft_delete(*, record: Draft) -> Draft:
    if record.state == DraftState.PUBLISHED:
        raise ValidationError({"state": gettext("已发布的稿件不能删除：它是三审制检查的依据。")})
    return record_soft_delete(record=record)


def _locked(draft: Draft) -> Draft:
    """Re-read the draft under a row lock so two reviewers cannot both move the same state."""
    return Draft.all_objects.select_for_update().select_related("unit", "author").get(pk=draft.pk)


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def _when(draft: Draft, at: datetime | None) -> datetime:
    """The decision's time: now, or (for records entered afterwards) a past time not before the last step."""
    if at is None:
        return timezone.now()
    if at > timezone.now():
        _refuse("at", gettext("审核时间不能晚于现在。"))
    last = draft.decisions.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        _refuse(
            "at",
            gettext("审核时间不能早于上一步（%(timezone_localtime_last)s）。")
            % {"timezone_localtime_last": format(timezone.localtime(last), "%Y-%m-%d %H:%M")},
        )
    return at


def _record(
    draft: Draft,
    *,
    action: str,
    actor: Person,
    stage: str = "",
    comment: str = "",
    at: datetime | None = None,
    **changes,
) -> Draft:
    Decision.objects.create(
        draft=draft,
        round=changes.get("round", draft.round),
        stage=stage,
        action=action,
        actor=actor,
        at=_when(draft, at),
        comment=comment,
    )
    return record_update(record=draft, expected_version=draft.version, **changes)


@transaction.atomic
def draft_submit(*, draft: Draft, actor: Person, at: datetime | None = None) -> Draft:
    """The author sends the draft to first review; a returned draft starts again as a new round."""
    draft = _locked(draft)
    _check_submitter(draft, actor)
    return _record(
        draft, at=at, action=Action.SUBMIT, actor=actor, round=draft.round + 1, state=DraftState.FIRST
    )


def _check_submitter(draft: Draft, actor: Person) -> None:
    if draft.state != DraftState.DRAFTING:
        _refuse(
            "state",
            gettext("送审稿当前为“%(draft_state)s”，不能再次送审。")
            % {"draft_state": draft.get_state_display()},
        )
    if actor.pk != draft.author_id:
        _refuse(
            "actor",
            gettext("只有作者%(draft_author_name)s可以送审本稿。") % {"draft_author_name": draft.author.name},
        )


def _check_reviewer(draft: Draft, actor: Person) -> str:
    if draft.state not in _REVIEW_STATES:
        _refuse(
            "state",
            gettext("送审稿当前为“%(draft_state)s”，不在审核中，不能审核。")
            % {"draft_state": draft.get_state_display()},
        )
    stage = _REVIEW_STATES[draft.state]
    label = Stage(stage).label
    if actor.pk == draft.author_id:
        _refuse(
            "actor", gettext("%(actor_name)s是本稿作者，不能审核自己的稿件。") % {"actor_name": actor.name}
        )
    if not stage_reviewers(draft.unit, stage).filter(pk=actor.pk).exists():
        _refuse(
            "actor",
            gettext("%(actor_name)s不担任本单位%(label)s人职务，不能进行%(label)s。")
            % {"actor_name": actor.name, "label": label},
        )
    earlier = (
        Decision.objects.filter(draft=draft, round=draft.round, actor=actor)
        .exclude(stage="")
        .exclude(stage=stage)
        .first()
    )
    if earlier is not None:
        _refuse(
            "actor",
            gettext("%(actor_name)s已在本轮%(earlier_stage)s中审核过本稿，不能再担任%(label)s人。")
            % {"actor_name": actor.name, "earlier_stage": earlier.get_stage_display(), "label": label},
        )
    return stage


def _review(
    draft: Draft, actor: Person, comment: str, at: datetime | None, *, action: str, missing_comment: str = ""
) -> Draft:
    """One review decision at the draft's current stage; ``missing_comment`` makes a comment required."""
    draft = _locked(draft)
    stage = _check_reviewer(draft, actor)
    if missing_comment and not (comment or "").strip():
        _refuse("comment", missing_comment)
    state = {
        Action.APPROVE: _NEXT[draft.state],
        Action.RETURN: DraftState.DRAFTING,
        Action.REJECT: DraftState.REJECTED,
    }[action]
    return _record(draft, at=at, action=action, actor=actor, stage=stage, comment=comment, state=state)


@transaction.atomic
def draft_approve(*, draft: Draft, actor: Person, comment: str = "", at: datetime | None = None) -> Draft:
    """Pass the current stage: 初审 → 复审 → 终审 → approved for publication."""
    return _review(draft, actor, comment, at, action=Action.APPROVE)


@transaction.atomic
def draft_return(*, draft: Draft, actor: Person, comment: str = "", at: datetime | None = None) -> Draft:
    """Back to the author with the reviewer's comment; the next submit starts at 初审 again."""
    return _review(
        draft, actor, comment, at, action=Action.RETURN, missing_comment=gettext("退回修改时请填写修改意见。")
    )


@transaction.atomic
def draft_reject(*, draft: Draft, actor: Person, comment: str = "", at: datetime | None = None) -> Draft:
    """Refuse the draft for good, with the reason."""
    return _review(
        draft, actor, comment, at, action=Action.REJECT, missing_comment=gettext("否决时请填写理由。")
    )


def _check_publisher(draft: Draft, actor: Person) -> None:
    if draft.state == DraftState.PUBLISHED:
        _refuse("state", gettext("本稿已经发布，不能重复发布。"))
    if draft.state != DraftState.APPROVED:
        _refuse(
            "state",
            gettext("送审稿当前为“%(draft_state)s”：只有终审通过的稿件才能发布。")
            % {"draft_state": draft.get_state_display()},
        )
    if (
        actor.pk != draft.author_id
        and not stage_reviewers(draft.unit, Stage.FINAL).filter(pk=actor.pk).exists()
    ):
        _refuse(
            "actor",
            gettext("%(actor_name)s既不是作者也不是终审人，不能发布本稿。") % {"actor_name": actor.name},
        )


@transaction.atomic
def draft_publish(
    *,
    draft: Draft,
    actor: Person,
    channel: Channel | None,
    day: date | None = None,
    at: datetime | None = None,
) -> Draft:
    """Mark a finally approved draft published on one of the organisation's active channels."""
    draft = _locked(draft)
    _check_publisher(draft, actor)
    errors: dict[str, str] = {}
    day = day or timezone.localdate()
    check_date(day, errors, "day", gettext("发布日期"))
    if channel is None:
        errors["channel"] = gettext("请选择发布阵地。")
    elif not channel.unit.path.startswith(organisation_of(draft.unit).path):
        errors["channel"] = gettext("阵地“%(channel_name)s”不属于本单位，不能在其上发布。") % {
            "channel_name": channel.name
        }
    elif channel.status != ChannelStatus.ACTIVE or channel.deleted:
        errors["channel"] = gettext("阵地“%(channel_name)s”当前不在用，不能发布。") % {
            "channel_name": channel.name
        }
    if errors:
        raise ValidationError(errors)
    return _record(
        draft,
        at=at,
        action=Action.PUBLISH,
        actor=actor,
        state=DraftState.PUBLISHED,
        channel=channel,
        published_on=day,
    )


_CHECKS = {
    Action.SUBMIT: _check_submitter,
    Action.APPROVE: _check_reviewer,
    Action.RETURN: _check_reviewer,
    Action.REJECT: _check_reviewer,
    Action.PUBLISH: _check_publisher,
}


def draft_refusal(draft: Draft, actor: Person | None, action: str) -> str | None:
    """Why ``actor`` may not take ``action`` on the draft as it stands (the message the transition
    would raise), or None. Reads only: the same checks, asked before anything is submitted."""
    if actor is None:
        return gettext("您的账号没有关联人员，不能操作送审稿。")
    try:
        _CHECKS[action](draft, actor)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def draft_actions(draft: Draft, actor: Person | None) -> list[str]:
    """The actions ``actor`` may take on the draft now (a comment or a channel the form still asks
    for aside): a page offers only these, instead of five of which the wrong ones fail on submit."""
    if actor is None:
        return []
    return [action for action in Action.values if draft_refusal(draft, actor, action) is None]


TRANSITIONS = {
    Action.SUBMIT: draft_submit,
    Action.APPROVE: draft_approve,
    Action.RETURN: draft_return,
    Action.REJECT: draft_reject,
    Action.PUBLISH: draft_publish,
}


def draft_act(
    *, draft: Draft, action: str, actor: Person | None, comment: str = "", channel=None, day=None
) -> Draft:
    """One entry point for pages and the API: dispatch ``action`` to its transition."""
    if actor is None:
        _refuse("actor", gettext("您的账号没有关联人员，不能操作送审稿。"))
    if action not in TRANSITIONS:
        _refuse("action", gettext("未知的操作“%(action)s”。") % {"action": action})
    if action == Action.SUBMIT:
        return draft_submit(draft=draft, actor=actor)
    if action == Action.PUBLISH:
        return draft_publish(draft=draft, actor=actor, channel=channel, day=day)
    return TRANSITIONS[action](draft=draft, actor=actor, comment=comment)
