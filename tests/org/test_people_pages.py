"""People, posts, the responsibility matrix and logins, kept on the web by a unit's admin.

Every form is submitted as its rendered page would submit it (``tests.html.form_data``), with only
the fields a person would type changed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from taizhang.org.models import Grant, Person, Position, Post, Responsibility, Role

from ..html import form_data, table

pytestmark = pytest.mark.django_db

TODO = "/rules/todo/?unit=cppcc&as_of=2020-06-20"


def _secretary_line(client) -> str:
    """The to-do line of the half-year report the secretary answers for, as its cells read."""
    rows = table(client.get(TODO).content.decode(), "grid")
    return next(" | ".join(row) for row in rows if any("向上级党组织报告" in cell for cell in row))


def _errors(html: str) -> list[str]:
    return re.findall(r'<p class="error">([^<]*)</p>', html)


def _names(client, **query) -> list[str]:
    """The names in the people list, as its first column reads."""
    rows = table(client.get(reverse("org:person-list"), query).content.decode(), "people")
    return [row[0] for row in rows[1:]]


def _submit(client, url: str, changes: dict, *, action: str | None = None):
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_data(page.content.decode(), action)
    data.update(changes)
    return client.post(action or url, data)


def test_a_unit_admin_fills_a_vacant_post_from_the_to_do_list_and_it_names_the_person(cppcc_clerk, cppcc):
    secretary = Position.objects.get(unit=cppcc, post=Post.SECRETARY, end__isnull=True)
    assert secretary.person.name in _secretary_line(cppcc_clerk)

    # The secretary's post ends (their person page, the end form of that post).
    detail = reverse("org:person-detail", args=[secretary.person_id])
    end = reverse("org:position-end", args=[secretary.pk])
    response = _submit(cppcc_clerk, detail, {"end": "2020-06-01"}, action=end)
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.end == date(2020, 6, 1)
    line = _secretary_line(cppcc_clerk)
    assert "未登记任职人" in line and secretary.person.name not in line

    # The line links to the form for the post, with the unit and the post already chosen.
    todo = cppcc_clerk.get(TODO).content.decode()
    link = re.search(r'href="(/org/posts/new/\?unit=cppcc&amp;post=secretary)">登记任职</a>', todo)
    assert link, "the vacant post links to the form that fills it"
    leader = Client()
    leader.force_login(get_user_model().objects.get(username="cppcc-leader"))
    assert "未登记任职人" in _secretary_line(leader)
    assert reverse("org:position-create") not in leader.get(TODO).content.decode()  # reads, fills nothing
    url = link.group(1).replace("&amp;", "&")
    page = cppcc_clerk.get(url).content.decode()
    data = form_data(page)
    assert data["unit"] == "cppcc" and data["post"] == "secretary"
    data.update(new_person="林晓东", title="县政协党组书记", start="2020-06-02")
    response = cppcc_clerk.post(url, data)
    assert response.status_code == 302
    newcomer = Person.objects.get(name="林晓东")
    assert newcomer.unit == cppcc
    line = _secretary_line(cppcc_clerk)
    assert "林晓东" in line and "未登记任职人" not in line


def test_a_unit_admin_adds_edits_and_ends_a_person_with_a_post(cppcc_clerk, cppcc):
    office = cppcc.children.order_by("path").first()
    response = _submit(
        cppcc_clerk,
        f"{reverse('org:person-create')}?unit={office.code}",
        {
            "name": "韩思远",
            "job_title": "干事",
            "phone": "13700137000",
            "post": "member",
            "start": "2021-03-01",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="韩思远")
    assert person.unit == office and person.phone == "13700137000"
    post = person.positions.get()
    assert (post.unit, post.post, post.start, post.end) == (office, Post.MEMBER, date(2021, 3, 1), None)
    listing = cppcc_clerk.get(reverse("org:person-list"), {"unit": office.code}).content.decode()
    assert [
        "韩思远",
        office.short_name or office.name,
        "干事",
        f"{office.short_name or office.name}·成员",
    ] == next(row for row in table(listing, "people") if row and row[0] == "韩思远")[:4]

    # Edit: the person page's form, one field changed; the history names who changed what.
    edit = reverse("org:person-edit", args=[person.pk])
    assert _submit(cppcc_clerk, edit, {"job_title": "副主任"}).status_code == 302
    person.refresh_from_db()
    assert person.job_title == "副主任" and person.version == 2
    page = cppcc_clerk.get(reverse("org:person-detail", args=[person.pk])).content.decode()
    clerk_name = Person.objects.get(user__username="cppcc-clerk").name
    history = table(page, "history")
    assert any(clerk_name in row and "职务：干事 → 副主任" in " ".join(row) for row in history)

    # The post is corrected, then ended on a date: kept, no longer current.
    post_edit = reverse("org:position-edit", args=[post.pk])
    assert _submit(cppcc_clerk, post_edit, {"title": "宣传信息员"}).status_code == 302
    detail = reverse("org:person-detail", args=[person.pk])
    end = reverse("org:position-end", args=[post.pk])
    assert _submit(cppcc_clerk, detail, {"end": "2022-12-31"}, action=end).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.end) == ("宣传信息员", date(2022, 12, 31))
    posts = table(cppcc_clerk.get(detail).content.decode(), "posts")
    assert posts[1][:5] == [office.name, "成员", "宣传信息员", "2021-03-01", "2022-12-31"]

    # The person leaves: hidden from the list, kept, restorable.
    leave = reverse("org:person-end", args=[person.pk])
    assert _submit(cppcc_clerk, detail, {"end": "2023-01-31"}, action=leave).status_code == 302
    assert "韩思远" not in _names(cppcc_clerk)
    assert "韩思远" in _names(cppcc_clerk, left="1")
    assert cppcc_clerk.post(reverse("org:person-restore", args=[person.pk])).status_code == 302
    assert "韩思远" in _names(cppcc_clerk)


def test_a_unit_admin_grants_a_login_and_the_new_user_signs_in_to_their_unit(cppcc_clerk, cppcc):
    person = Person.objects.filter(unit=cppcc, user__isnull=True).order_by("pk").first()
    detail = reverse("org:person-detail", args=[person.pk])
    login = reverse("org:person-login", args=[person.pk])
    response = _submit(cppcc_clerk, detail, {"username": "cppcc-new", "role": Role.LEADER}, action=login)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    shown = table(response.content.decode(), "password")
    assert shown[0] == ["登录用户名", "cppcc-new"]
    password = shown[1][1]
    assert len(password) == 12

    # Signed in, they are first asked for a password of their own (tests/core/test_password_change.py).
    browser = Client()
    page = browser.post(reverse("login"), {"username": "cppcc-new", "password": password}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("password-change") and person.name in page.content.decode()

    history = table(cppcc_clerk.get(detail).content.decode(), "history")
    clerk_name = Person.objects.get(user__username="cppcc-clerk").name
    assert [clerk_name, f"创建授权·{cppcc.name}·领导"] in [row[1:3] for row in history], history

    # A reset gives a new password once; the old one stops working.
    reset = cppcc_clerk.post(reverse("org:person-password", args=[person.pk]))
    again = table(reset.content.decode(), "password")[1][1]
    assert again != password
    assert not Client().login(username="cppcc-new", password=password)
    assert Client().login(username="cppcc-new", password=again)


def test_another_units_clerk_and_a_member_are_refused(school_clerk, cppcc):
    person = Person.objects.filter(unit=cppcc).order_by("pk").first()
    post = Position.objects.filter(unit=cppcc).order_by("pk").first()
    grant = Grant.objects.filter(unit=cppcc).order_by("pk").first()
    duty = Responsibility.objects.filter(unit=cppcc).order_by("pk").first()
    for url in (
        reverse("org:person-detail", args=[person.pk]),
        reverse("org:person-edit", args=[person.pk]),
        reverse("org:position-edit", args=[post.pk]),
    ):
        assert school_clerk.get(url).status_code == 404, url
    for url in (
        reverse("org:person-edit", args=[person.pk]),
        reverse("org:person-end", args=[person.pk]),
        reverse("org:person-login", args=[person.pk]),
        reverse("org:person-password", args=[person.pk]),
        reverse("org:position-end", args=[post.pk]),
        reverse("org:grant-revoke", args=[grant.pk]),
        reverse("org:responsibility-withdraw", args=[duty.pk]),
    ):
        assert (
            school_clerk.post(url, {"end": "2020-01-01", "name": "x", "role": "leader"}).status_code == 404
        ), url
    listing = school_clerk.get(reverse("org:person-list")).content.decode()
    assert person.name not in listing
    member = Client()
    member.force_login(get_user_model().objects.get(username="cppcc-member"))
    assert member.get(reverse("org:person-list")).status_code == 404
    assert member.get(reverse("org:person-detail", args=[person.pk])).status_code == 404
    assert member.get(reverse("org:person-create")).status_code == 404


def test_a_leader_reads_people_without_phones_and_is_offered_no_change(client, cppcc):
    person = Person.objects.filter(unit=cppcc).order_by("pk").first()
    clerk = Client()
    clerk.force_login(get_user_model().objects.get(username="cppcc-clerk"))
    edit = reverse("org:person-edit", args=[person.pk])
    assert _submit(clerk, edit, {"phone": "13600136000"}).status_code == 302  # in the history now
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    listing = client.get(reverse("org:person-list")).content.decode()
    assert person.name in listing and "13600136000" not in listing
    assert reverse("org:person-create") not in listing
    detail = client.get(reverse("org:person-detail", args=[person.pk])).content.decode()
    assert person.name in detail and "13600136000" not in detail
    assert reverse("org:person-edit", args=[person.pk]) not in detail
    assert client.get(reverse("org:person-create")).status_code == 404
    assert client.post(reverse("org:person-end", args=[person.pk]), {"end": "2020-01-01"}).status_code == 404


def test_bad_input_is_an_error_on_the_field_and_writes_nothing(cppcc_clerk, cppcc, school):
    people, posts = Person.all_objects.count(), Position.all_objects.count()
    create = reverse("org:person-create")
    # A unit outside the admin's units (a hand-edited select, a stale link).
    response = _submit(cppcc_clerk, create, {"unit": school.code, "name": "甲"})
    assert response.status_code == 200
    assert any(e.startswith("所在单位：") and "school" in e for e in _errors(response.content.decode()))
    # A post ending before it starts.
    post = Position.objects.filter(unit=cppcc).order_by("pk").first()
    response = _submit(
        cppcc_clerk,
        reverse("org:position-edit", args=[post.pk]),
        {"start": "2021-05-01", "end": "2021-04-30"},
    )
    assert "离任日期：离任日期不能早于任职日期。" in _errors(response.content.decode())
    # The same person in the same post of the same unit twice.
    holder = post.person
    response = _submit(
        cppcc_clerk,
        f"{reverse('org:position-create')}?unit={post.unit.code}&post={post.post}",
        {"person": str(holder.pk)},
    )
    errors = _errors(response.content.decode())
    assert any(e.startswith("责任岗位：") and "不能重复登记" in e for e in errors), errors
    # A post with neither a person chosen nor a name typed.
    response = _submit(cppcc_clerk, f"{reverse('org:position-create')}?unit=cppcc", {"post": "member"})
    assert any(e.startswith("任职人：") for e in _errors(response.content.decode()))
    # A username already in use.
    person = Person.objects.filter(unit=cppcc, user__isnull=True).order_by("pk").first()
    detail = reverse("org:person-detail", args=[person.pk])
    response = _submit(
        cppcc_clerk,
        detail,
        {"username": "cppcc-leader"},
        action=reverse("org:person-login", args=[person.pk]),
    )
    assert response.status_code == 400
    assert any(e.startswith("登录用户名：") and "已被使用" in e for e in _errors(response.content.decode()))
    post.refresh_from_db()
    assert post.end is None
    assert (Person.all_objects.count(), Position.all_objects.count()) == (people, posts)


def test_the_responsibility_matrix_is_assigned_and_withdrawn_on_the_page(cppcc_clerk, cppcc):
    url = f"{reverse('org:duties')}?unit=cppcc"
    person = (
        Person.objects.filter(unit__path__startswith=cppcc.path, duties__isnull=True).order_by("pk").first()
    )
    page = cppcc_clerk.get(url).content.decode()
    data = form_data(page)
    area_value = data["area"] or re.findall(r'<option value="(\d+)">', page)[0]
    data.update(area=area_value, person=str(person.pk), duty="supporting")
    assert cppcc_clerk.post(url, data).status_code == 302
    row = Responsibility.objects.get(unit=cppcc, person=person)
    page = cppcc_clerk.get(url).content.decode()
    cells = next(r for r in table(page, "duties") if r and r[0] == row.area.name)
    assert person.name in cells[3]  # the 配合 column
    # One accountable person per area: a second is refused on the field.
    data.update(duty="accountable")
    response = cppcc_clerk.post(url, data)
    assert any(
        e.startswith("责任类型：") and "已有负总责的人" in e for e in _errors(response.content.decode())
    )
    assert cppcc_clerk.post(reverse("org:responsibility-withdraw", args=[row.pk])).status_code == 302
    assert not Responsibility.objects.filter(pk=row.pk).exists()
    assert Responsibility.all_objects.get(pk=row.pk).deleted  # withdrawn, kept in the history


def test_a_login_with_more_than_the_admin_holds_is_not_theirs_to_reset_or_end(cppcc_clerk, cppcc, school):
    """A clerk who could reset the password of a login that also administers another unit could sign
    in as it: such a login is left to an admin above both."""
    person = Person.objects.get(user__username="cppcc-leader")
    Grant.objects.create(user=person.user, unit=school, role=Role.UNIT_ADMIN)
    detail = reverse("org:person-detail", args=[person.pk])
    reset, leave = (reverse(f"org:person-{action}", args=[person.pk]) for action in ("password", "end"))
    page = cppcc_clerk.get(detail).content.decode()
    assert reset not in page and leave not in page and "请由上级管理员办理" in page  # not offered
    password = person.user.password
    refused = cppcc_clerk.post(reset, follow=True).content.decode()  # and refused when posted anyway
    assert "请由上级管理员重置密码" in refused and 'class="grid detail password"' not in refused
    response = cppcc_clerk.post(leave, {"end": "2021-01-01"})
    assert any(e.startswith("离开日期：") and "上级管理员" in e for e in _errors(response.content.decode()))
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert not person.deleted and person.user.is_active and person.user.password == password
