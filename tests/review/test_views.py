"""The draft page offers only the review actions the draft's state and the person's posts allow."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang.org.models import Position, Post
from taizhang.review import services
from taizhang.review.models import Action
from tests.html import options


def _as(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _submitted(cppcc):
    author = Position.objects.filter(unit__path__startswith=cppcc.path, post=Post.DESIGNATED_OFFICER).first()
    draft = services.draft_create(
        unit=cppcc, author=author.person, title="测试稿", text="正文", date=date(2020, 6, 1)
    )
    return services.draft_submit(draft=draft, actor=author.person)


def _offered(client, draft) -> list[str]:
    html = client.get(reverse("review:draft-detail", args=[draft.pk])).content.decode()
    return [label for _, label, _ in options(html, "action")]


def test_the_final_reviewer_is_offered_nothing_until_the_draft_reaches_them(client, cppcc):
    draft = _submitted(cppcc)
    secretary = _as(client, "cppcc-secretary")
    assert _offered(secretary, draft) == []
    assert "审核操作" not in secretary.get(reverse("review:draft-detail", args=[draft.pk])).content.decode()
    for post in (Post.OFFICE_DIRECTOR, Post.LEADER_IN_CHARGE):
        reviewer = Position.objects.filter(unit__path__startswith=cppcc.path, post=post).first().person
        draft = services.draft_approve(draft=draft, actor=reviewer)
    assert _offered(secretary, draft) == [Action.APPROVE.label, Action.RETURN.label, Action.REJECT.label]
    draft = services.draft_approve(draft=draft, actor=_secretary(cppcc))
    assert _offered(secretary, draft) == [Action.PUBLISH.label]


def _secretary(cppcc):
    return Position.objects.filter(unit__path__startswith=cppcc.path, post=Post.SECRETARY).first().person


def test_an_action_not_offered_is_refused_on_the_page_and_changes_nothing(client, cppcc):
    draft = _submitted(cppcc)
    author = _as(client, "cppcc-clerk")
    assert _offered(author, draft) == []
    page = author.post(reverse("review:draft-act", args=[draft.pk]), {"action": "approve"})
    assert "是本稿作者，不能审核自己的稿件。" in page.content.decode()
    draft.refresh_from_db()
    assert draft.state == "first"
