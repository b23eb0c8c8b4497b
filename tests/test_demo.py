"""`taizhang demo --reset` rebuilds the demo whatever the clerks recorded in it meanwhile."""

from django.contrib.auth import get_user_model

from taizhang import demo
from taizhang.core.periods import Period
from taizhang.documents.services import summary_version_save
from taizhang.ledger.queries import kind_counts
from taizhang.org.models import Unit


def test_reset_removes_what_was_recorded_since_and_rebuilds_the_seed_counts(cppcc):
    clerk = get_user_model().objects.get(username="cppcc-clerk")
    summary_version_save(
        unit=cppcc, period=Period.parse("2020H1"), shortcomings="甲", next_steps="乙", user=clerk
    )
    demo.load(reset=True)
    organ = Unit.objects.get(code="cppcc")
    assert organ.pk != cppcc.pk
    counts = kind_counts(unit=organ, period=Period.parse("2020H1"))
    assert (counts["central_group_study"], counts["collective_study"], counts["theme_day"]) == (4, 8, 6)
    assert get_user_model().objects.filter(username="cppcc-clerk").count() == 1


def test_every_record_of_the_demo_keeps_to_its_time(db):
    """No study of a document before its day, no activity on a public holiday without a reason, no
    host recorded away: walked over every activity of the demo county, and the titles of what was
    reported, published and campaigned (core.timeline's data)."""
    from taizhang.campaigns.models import Campaign
    from taizhang.core import timeline
    from taizhang.ledger.models import Activity
    from taizhang.reporting.models import Article, Submission

    activities = list(Activity.objects.select_related("unit").prefetch_related("attendances"))
    assert len(activities) > 800  # the generated county units are walked too
    wrong = []
    for a in activities:
        for field in (a.topic, a.materials):
            wrong += [(a.unit.code, a.date, m.words) for m in timeline.anachronisms(field, a.date)]
        if timeline.holiday_on(a.date) and not a.holiday_reason:
            wrong.append((a.unit.code, a.date, timeline.holiday_on(a.date).name))
        wrong += [
            (a.unit.code, a.date, "host away")
            for row in a.attendances.all()
            if row.person_id == a.host_id and row.status != "present"
        ]
    for model, day in ((Submission, "date"), (Article, "date"), (Campaign, "start")):
        for row in model.objects.all():
            wrong += [
                (model.__name__, getattr(row, day), m.words)
                for m in timeline.anachronisms(row.title, getattr(row, day))
            ]
    assert wrong == []


def test_the_cppcc_year_has_a_second_half_and_the_first_half_is_the_seeds(cppcc):
    h1, h2 = Period.parse("2020H1"), Period.parse("2020H2")
    first = kind_counts(unit=cppcc, period=h1)
    assert {k: first[k] for k in ("central_group_study", "seminar", "collective_study", "cell_study", "theme_day")} == {
        "central_group_study": 4, "seminar": 2, "collective_study": 8, "cell_study": 6, "theme_day": 6,
    }  # fmt: skip
    second = kind_counts(unit=cppcc, period=h2)
    for kind in ("central_group_study", "seminar", "collective_study", "cell_study", "theme_day", "joint_meeting",
                 "report_upward", "assessment", "ideology_session"):  # fmt: skip
        assert second.get(kind, 0) >= 1, kind
    from taizhang.ledger.models import Activity

    topics = " ".join(Activity.objects.filter(unit=cppcc, date__gte=h2.start).values_list("topic", flat=True))
    for studied in ("十九届五中全会", "全国抗击新冠肺炎疫情表彰大会", "民法典", "述职"):
        assert studied in topics, studied


def test_the_school_year_studies_what_the_autumn_brought(school):
    from taizhang.ledger.models import Activity

    topics = " ".join(
        Activity.objects.filter(unit=school, date__gte=Period.parse("2020H2").start).values_list(
            "topic", flat=True
        )
    )
    for studied in ("五中全会", "全国抗击新冠肺炎疫情表彰大会", "《深化新时代教育评价改革总体方案》"):
        assert studied in topics, studied
