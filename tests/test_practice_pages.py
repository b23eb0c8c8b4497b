"""Every practice module's pages and API: list, detail, create, edit; scoped like the ledger."""

import pytest
from django.urls import reverse

from taizhang.campaigns.models import Campaign, Donation, Selection, VolunteerActivity
from taizhang.channels.models import Channel
from taizhang.org.models import Person
from taizhang.reporting.models import Adoption, Article, Submission
from taizhang.review.models import Draft
from taizhang.risks.models import RiskPoint

PAGES = [
    ("reporting", "submission", Submission, "unit"),
    ("reporting", "adoption", Adoption, "submission__unit"),
    ("reporting", "article", Article, "unit"),
    ("review", "draft", Draft, "unit"),
    ("risks", "risk", RiskPoint, "unit"),
    ("channels", "channel", Channel, "unit"),
    ("campaigns", "campaign", Campaign, "unit"),
    ("campaigns", "donation", Donation, "unit"),
    ("campaigns", "volunteer", VolunteerActivity, "unit"),
    ("campaigns", "selection", Selection, "unit"),
]
API = [
    "submissions", "adoptions", "articles", "drafts", "risk-points", "channels", "campaigns", "donations",
    "volunteer-activities", "selections",
]  # fmt: skip


@pytest.mark.parametrize(("app", "name", "model", "unit_field"), PAGES)
def test_pages_render_for_the_clerk_and_hide_other_organisations(
    app, name, model, unit_field, cppcc_clerk, cppcc
):
    obj = model.objects.filter(**{f"{unit_field}__path__startswith": cppcc.path}).first()
    listing = cppcc_clerk.get(reverse(f"{app}:{name}-list"), {"unit": "cppcc", "period": "2020H1"})
    assert listing.status_code == 200 and listing.context["page"].paginator.count >= 1
    assert cppcc_clerk.get(reverse(f"{app}:{name}-detail", args=[obj.pk])).status_code == 200
    assert cppcc_clerk.get(reverse(f"{app}:{name}-edit", args=[obj.pk])).status_code == 200
    assert cppcc_clerk.get(reverse(f"{app}:{name}-create") + "?unit=cppcc").status_code == 200
    assert (
        cppcc_clerk.get(reverse(f"{app}:{name}-list"), {"unit": "school"}).context["page"].paginator.count
        == 0
    )


@pytest.mark.parametrize(("app", "name", "model", "unit_field"), PAGES)
def test_another_organisations_clerk_gets_404(app, name, model, unit_field, school_clerk, cppcc):
    obj = model.objects.filter(**{f"{unit_field}__path__startswith": cppcc.path}).first()
    assert school_clerk.get(reverse(f"{app}:{name}-detail", args=[obj.pk])).status_code == 404
    assert school_clerk.get(reverse(f"{app}:{name}-edit", args=[obj.pk])).status_code == 404


def test_pages_need_a_login(client, db):
    response = client.get(reverse("reporting:submission-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_clerk_records_and_edits_a_channel_through_the_pages(cppcc_clerk, cppcc):
    admin = Channel.objects.filter(unit=cppcc).first().administrator
    response = cppcc_clerk.post(
        reverse("channels:channel-create") + "?unit=cppcc",
        {
            "unit": "cppcc",
            "kind": "website",
            "name": "县政协网站",
            "administrator": admin.pk,
            "opened_on": "2020-01-02",
            "status": "active",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(name="县政协网站")
    form = cppcc_clerk.get(reverse("channels:channel-edit", args=[channel.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(administrator=admin.pk, name="县政协门户网站", unit="cppcc")
    assert cppcc_clerk.post(reverse("channels:channel-edit", args=[channel.pk]), data).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "县政协门户网站" and channel.version == 2
    missing = cppcc_clerk.post(
        reverse("channels:channel-create") + "?unit=cppcc",
        {
            "unit": "cppcc",
            "kind": "website",
            "name": "无管理员",
            "opened_on": "2020-01-02",
            "status": "active",
        },
    )
    assert missing.status_code == 200 and not Channel.objects.filter(name="无管理员").exists()


def test_a_reviewer_takes_a_step_through_the_decision_form(client, cppcc):
    from django.contrib.auth import get_user_model

    draft = Draft.objects.get(unit=cppcc, state="first")
    client.force_login(get_user_model().objects.get(username="cppcc-leader"))
    response = client.post(reverse("review:draft-act", args=[draft.pk]), {"action": "approve"})
    assert response.status_code == 200 and "不能进行初审" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "first"


def test_the_ranking_page_lists_units_by_points(cppcc_clerk):
    page = cppcc_clerk.get(reverse("reporting:ranking"), {"period": "2020H1"})
    assert page.status_code == 200 and "县政协机关" in page.content.decode()


@pytest.mark.parametrize("endpoint", API)
def test_api_lists_are_scoped(endpoint, client, db):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username="cppcc-clerk"))
    mine = client.get(f"/api/{endpoint}/", {"unit": "cppcc"})
    assert mine.status_code == 200
    body = mine.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows
    client.force_login(users.get(username="school-clerk"))
    assert client.get(f"/api/{endpoint}/{rows[0]['id']}/").status_code == 404


def test_api_drafts_act_runs_the_state_machine(admin_client, cppcc):
    draft = Draft.objects.get(unit=cppcc, state="first")
    response = admin_client.post(
        f"/api/drafts/{draft.pk}/act/", {"action": "approve"}, content_type="application/json"
    )
    assert response.status_code == 400 and "actor" in response.json()


def test_api_creates_an_article_and_refuses_an_unknown_level(cppcc_clerk):
    bad = cppcc_clerk.post(
        "/api/articles/",
        {"unit": "cppcc", "date": "2020-05-01", "title": "t", "outlet": "某台", "outlet_level": "town"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "outlet_level" in bad.json()
    good = cppcc_clerk.post(
        "/api/articles/",
        {"unit": "cppcc", "date": "2020-05-01", "title": "t", "outlet": "某台", "outlet_level": "city"},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    changed = cppcc_clerk.patch(
        f"/api/articles/{good.json()['id']}/", {"title": "新", "version": 1}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["title"] == "新"


def _post_data(form) -> dict:
    """The edit form's initial values as a browser would post them back."""
    data = {}
    for name, value in form.initial.items():
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


@pytest.mark.parametrize(("app", "name", "model", "unit_field"), PAGES)
def test_an_edit_posted_back_unchanged_keeps_the_version_and_a_change_makes_one(
    app, name, model, unit_field, cppcc_clerk, cppcc
):
    if model is Draft:
        from datetime import date

        from taizhang.review.services import draft_create

        author = Draft.objects.filter(unit=cppcc).first().author
        obj = draft_create(unit=cppcc, author=author, title="草稿", text="正文", date=date(2020, 6, 2))
    else:
        obj = model.objects.filter(**{f"{unit_field}__path__startswith": cppcc.path}).first()
    url = reverse(f"{app}:{name}-edit", args=[obj.pk])
    form = cppcc_clerk.get(url).context["form"]
    data = _post_data(form)
    version, history = obj.version, obj.history.count()
    response = cppcc_clerk.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert (obj.version, obj.history.count()) == (version, history)  # nothing changed, nothing written

    texts = [
        n for n, f in form.fields.items() if type(f).__name__ in {"CharField", "TextField"} and n != "amount"
    ]
    text = max(texts, key=lambda n: bool(data.get(n)))  # a filled one where there is one
    changed = {**data, text: f"{data.get(text, '')}（修订）"}
    assert cppcc_clerk.post(url, changed).status_code == 302
    obj.refresh_from_db()
    assert (obj.version, obj.history.count()) == (version + 1, history + 1)
    stale = cppcc_clerk.post(url, {**changed, text: f"{data.get(text, '')}（再修订）"})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()


def test_a_draft_under_review_offers_no_edit_form(cppcc_clerk, cppcc):
    draft = Draft.objects.get(unit=cppcc, state="first")
    url = reverse("review:draft-edit", args=[draft.pk])
    response = cppcc_clerk.get(url, follow=True)
    assert "只有撰写中" in response.content.decode() and "form" not in response.context
    detail = cppcc_clerk.get(reverse("review:draft-detail", args=[draft.pk])).content.decode()
    assert url not in detail


def test_a_record_stays_in_its_one_unit(admin_client, cppcc):
    article = Article.objects.filter(unit=cppcc).first()
    response = admin_client.patch(
        f"/api/articles/{article.pk}/",
        {"unit": "school", "version": article.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "unit" in response.json()
    article.refresh_from_db()
    assert article.unit == cppcc


def test_a_bad_period_in_a_list_is_a_field_error(cppcc_clerk):
    page = cppcc_clerk.get(reverse("reporting:article-list"), {"period": "2020H3"})
    assert "期间不存在" in page.content.decode()
    api = cppcc_clerk.get("/api/articles/", {"period": "2020H3"})
    assert api.status_code == 400 and "period" in api.json()


@pytest.mark.parametrize(("app", "name", "model", "unit_field"), PAGES)
def test_list_pages_cost_a_fixed_number_of_queries(
    app, name, model, unit_field, cppcc_clerk, django_assert_max_num_queries
):
    cppcc_clerk.get(reverse(f"{app}:{name}-list"))  # warm the session
    # 14: the page's ids and then its rows (core.tables.IdPaginator), and for a record a member
    # may own, whether the login owns any outside the units it reads (org.scope); none per row
    with django_assert_max_num_queries(14):
        assert cppcc_clerk.get(reverse(f"{app}:{name}-list")).status_code == 200


def test_the_risk_list_shows_the_overdue_to_do(cppcc_clerk, cppcc):
    from datetime import date

    from taizhang.risks.services import risk_point_create

    owner = RiskPoint.objects.filter(unit=cppcc).first().owner
    risk_point_create(
        unit=cppcc,
        title="逾期高风险",
        level="high",
        owner=owner,
        identified_on=date(2020, 1, 2),
        review_date=date(2020, 2, 1),
    )
    page = cppcc_clerk.get(reverse("risks:risk-list"), {"overdue": "on"})
    assert [r.title for r in page.context["page"].object_list] == ["逾期高风险"]


def test_the_channel_list_filters_by_kind(cppcc_clerk):
    page = cppcc_clerk.get(
        reverse("channels:channel-list"), {"unit": "cppcc", "kind": "wechat_group", "period": "2020H1"}
    )
    assert page.context["page"].paginator.count == 2


def test_a_member_may_read_but_not_record(client, cppcc):
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="cppcc-member")
    client.force_login(member)
    own_unit = member.grants.get().unit
    page = client.get(reverse("channels:channel-create") + "?unit=cppcc")
    assert page.status_code == 200 and "您不能在单位" in page.content.decode()
    before = Channel.all_objects.count()
    api = client.post(
        "/api/channels/",
        {
            "unit": own_unit.code,
            "kind": "website",
            "name": "x",
            "opened_on": "2020-01-01",
            "administrator": member.person.pk,
        },
        content_type="application/json",
    )
    assert api.status_code in (400, 403) and Channel.all_objects.count() == before


def test_a_member_reports_information_as_themselves_and_reads_only_their_own(client, cppcc):
    from django.contrib.auth import get_user_model

    from taizhang.reporting.models import Submission

    member = get_user_model().objects.get(username="cppcc-member")
    client.force_login(member)
    me = member.person
    someone_else = Person.objects.filter(unit=cppcc).exclude(pk=me.pk).first()
    url = reverse("reporting:submission-create")
    form = {"title": "关于农村道路照明的建议", "kind": "public_sentiment", "date": "2020-06-01"}
    refused = client.post(url, {**form, "author": someone_else.pk})
    assert "只能以本人名义报送" in refused.content.decode()
    assert not Submission.objects.filter(title=form["title"]).exists()
    done = client.post(url, {**form, "author": me.pk})
    mine = Submission.objects.get(title=form["title"])
    assert done.status_code == 302 and mine.author == me and mine.unit == me.unit
    listing = client.get(reverse("reporting:submission-list")).content.decode()
    assert form["title"] in listing
    others = Submission.objects.filter(unit=cppcc).exclude(author=me).first()
    assert client.get(reverse("reporting:submission-detail", args=[others.pk])).status_code == 404
    assert client.get(reverse("reporting:submission-edit", args=[mine.pk])).status_code == 404


def test_a_member_reads_the_units_published_drafts_but_not_pending_ones(client, cppcc):
    from django.contrib.auth import get_user_model

    from taizhang.review.models import Draft, DraftState

    client.force_login(get_user_model().objects.get(username="cppcc-member"))
    published = Draft.objects.filter(unit=cppcc, state=DraftState.PUBLISHED).first()
    pending = Draft.objects.filter(unit=cppcc).exclude(state=DraftState.PUBLISHED).first()
    assert client.get(reverse("review:draft-detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("review:draft-detail", args=[pending.pk])).status_code == 404


def test_every_record_page_shows_who_changed_what(client, cppcc):
    from django.contrib.auth import get_user_model

    from taizhang.channels.services import channel_update

    clerk = get_user_model().objects.get(username="cppcc-clerk")
    client.force_login(clerk)
    channel = Channel.objects.filter(unit=cppcc).first()
    channel_update(record=channel, expected_version=channel.version, purpose="通知与学习资料（已调整）")
    html = client.get(reverse("channels:channel-detail", args=[channel.pk])).content.decode()
    assert "修改记录" in html and "通知与学习资料（已调整）" in html and "→" in html


def test_the_activity_page_title_is_its_topic(cppcc_clerk, cppcc):
    from taizhang.ledger.models import Activity

    activity = Activity.objects.filter(unit=cppcc).first()
    html = cppcc_clerk.get(reverse("ledger:activity-detail", args=[activity.pk])).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert title.startswith(activity.topic) and "<table" not in title
