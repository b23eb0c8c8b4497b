"""Reporting services refuse bad input whole."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.org.models import Person
from taizhang.reporting import services
from taizhang.reporting.models import Adoption, Article, Submission


@pytest.fixture
def officer(cppcc):
    return Person.objects.filter(unit__path__startswith=cppcc.path).first()


def test_an_unknown_outlet_level_is_a_field_error_and_nothing_is_written(cppcc):
    before = Article.all_objects.count()
    with pytest.raises(ValidationError) as info:
        services.article_create(
            unit=cppcc, date=date(2020, 3, 1), title="稿件", outlet="某报", outlet_level="town"
        )
    assert "媒体层级" in info.value.message_dict["outlet_level"][0]
    assert Article.all_objects.count() == before


def test_every_bad_field_is_reported_at_once(cppcc, school):
    stranger = Person.objects.filter(unit__path__startswith=school.path).first()
    with pytest.raises(ValidationError) as info:
        services.submission_create(
            unit=cppcc,
            author=stranger,
            date=timezone.localdate() + timedelta(days=3),
            kind="gossip",
            title=" ",
        )
    assert set(info.value.message_dict) == {"author", "date", "kind", "title"}


def test_an_adoption_cannot_precede_its_submission_nor_lack_a_publication(cppcc, officer):
    sub = services.submission_create(
        unit=cppcc, author=officer, date=date(2020, 5, 1), kind="public_sentiment", title="关于某事"
    )
    before = Adoption.all_objects.count()
    with pytest.raises(ValidationError) as info:
        services.adoption_create(submission=sub, level="county", date=date(2020, 4, 1))
    assert {"date", "publication"} <= set(info.value.message_dict)
    assert Adoption.all_objects.count() == before


def test_an_adoption_from_a_page_must_belong_to_the_pages_unit(cppcc, school, officer):
    sub = Submission.objects.filter(unit=cppcc).first()
    with pytest.raises(ValidationError) as info:
        services.adoption_create(
            submission=sub, level="city", publication="《x》", date=date(2020, 6, 1), unit=school
        )
    assert "submission" in info.value.message_dict


def test_stale_edits_are_refused(cppcc):
    article = Article.objects.filter(unit=cppcc).first()
    services.article_update(record=article, expected_version=article.version, title="新标题")
    with pytest.raises(ValidationError):
        services.article_update(record=article, expected_version=article.version - 1, title="又改")
