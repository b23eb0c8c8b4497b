"""Writes to information reporting: submissions, adoptions, publicity articles."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext

from taizhang.core.cells import typed_text
from taizhang.core.checks import check_choice, check_date, check_person, check_text
from taizhang.core.services import record_soft_delete, record_update
from taizhang.org.models import Person, Unit
from taizhang.reporting.models import Adoption, Article, Level, Submission, SubmissionKind

SUBMISSION_FIELDS = ("author", "date", "kind", "title", "text", "target", "highlight")
ADOPTION_FIELDS = ("level", "publication", "issue_year", "issue_no", "outlet", "date")
ARTICLE_FIELDS = ("author", "date", "title", "outlet", "outlet_level", "link", "highlight")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_submission(unit: Unit, data: dict) -> None:
    errors: dict[str, str] = {}
    check_person(unit, data.get("author"), errors, "author", gettext("报送人"), required=True)
    check_date(data.get("date"), errors, "date", gettext("报送日期"))
    check_choice(data.get("kind"), SubmissionKind, errors, "kind", gettext("类别"))
    check_text(data.get("title"), errors, "title", gettext("标题"))
    _raise(errors)


@transaction.atomic
def submission_create(
    *,
    unit: Unit,
    author: Person | None,
    date: date | None,
    kind: str,
    title: str,
    text: str = "",
    target: str = "",
    highlight: str = "",
) -> Submission:
    data = {"author": author, "date": date, "kind": kind, "title": title, "text": text, "target": target}
    _check_submission(unit, data)
    submission = Submission(unit=unit, **{**data, "title": typed_text(title)}, highlight=highlight.strip())
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def submission_update(*, record: Submission, expected_version: int | None, **changes) -> Submission:
    unknown = set(changes) - set(SUBMISSION_FIELDS)
    if unknown:
        raise TypeError(f"submission_update() got unexpected fields: {sorted(unknown)}")
    _check_submission(record.unit, {f: changes.get(f, getattr(record, f)) for f in SUBMISSION_FIELDS})
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def submission_delete(*, record: Submission) -> Submission:
    return record_soft_delete(record=record)


def _check_adoption(submission: Submission | None, data: dict, unit: Unit | None = None) -> None:
    errors: dict[str, str] = {}
    if submission is None:
        errors["submission"] = gettext("请选择被采用的报送信息。")
    elif unit is not None and not submission.unit.path.startswith(unit.path):
        errors["submission"] = gettext("“%(submission_title)s”不是%(unit_name)s报送的信息。") % {
            "submission_title": submission.title,
            "unit_name": unit.name,
        }
    check_choice(data.get("level"), Level, errors, "level", gettext("采用层级"))
    check_date(data.get("date"), errors, "date", gettext("采用日期"))
    if (
        submission is not None
        and data.get("date")
        and "date" not in errors
        and data["date"] < submission.date
    ):
        errors["date"] = gettext("采用日期不能早于报送日期。")
    if not (data.get("publication") or "").strip() and not (data.get("outlet") or "").strip():
        errors["publication"] = gettext("请填写采用的刊物或媒体。")
    issue_no, issue_year = data.get("issue_no"), data.get("issue_year")
    if issue_no is not None and (not isinstance(issue_no, int) or issue_no < 1):
        errors["issue_no"] = gettext("期号应为正整数。")
    if issue_year is not None and (not isinstance(issue_year, int) or not 2000 <= issue_year <= 2100):
        errors["issue_year"] = gettext("期号年份不正确。")
    _raise(errors)


@transaction.atomic
def adoption_create(
    *,
    submission: Submission | None,
    level: str,
    date: date | None,
    publication: str = "",
    issue_year: int | None = None,
    issue_no: int | None = None,
    outlet: str = "",
    unit: Unit | None = None,
) -> Adoption:
    """Record that a submission was adopted; ``unit`` (from a page or the API) must have sent it."""
    data = {
        "level": level, "date": date, "publication": typed_text(publication), "issue_year": issue_year,
        "issue_no": issue_no, "outlet": typed_text(outlet),
    }  # fmt: skip
    _check_adoption(submission, data, unit)
    if data["issue_no"] and not data["issue_year"]:
        data["issue_year"] = date.year
    adoption = Adoption(submission=submission, **data)
    adoption.full_clean()
    adoption.save()
    return adoption


@transaction.atomic
def adoption_update(*, record: Adoption, expected_version: int | None, **changes) -> Adoption:
    unknown = set(changes) - set(ADOPTION_FIELDS)
    if unknown:
        raise TypeError(f"adoption_update() got unexpected fields: {sorted(unknown)}")
    _check_adoption(record.submission, {f: changes.get(f, getattr(record, f)) for f in ADOPTION_FIELDS})
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def adoption_delete(*, record: Adoption) -> Adoption:
    return record_soft_delete(record=record)


def _check_article(unit: Unit, data: dict) -> None:
    errors: dict[str, str] = {}
    check_person(unit, data.get("author"), errors, "author", gettext("作者"), required=False)
    check_date(data.get("date"), errors, "date", gettext("刊发日期"))
    check_text(data.get("title"), errors, "title", gettext("标题"))
    check_text(data.get("outlet"), errors, "outlet", gettext("媒体"))
    check_choice(data.get("outlet_level"), Level, errors, "outlet_level", gettext("媒体层级"))
    if data.get("link"):
        try:
            URLValidator(schemes=["http", "https"])(data["link"])
        except ValidationError:
            errors["link"] = gettext("链接不是有效的网址。")
    _raise(errors)


@transaction.atomic
def article_create(
    *,
    unit: Unit,
    date: date | None,
    title: str,
    outlet: str,
    outlet_level: str,
    author: Person | None = None,
    link: str = "",
    highlight: str = "",
) -> Article:
    data = {
        "author": author,
        "date": date,
        "title": title,
        "outlet": outlet,
        "outlet_level": outlet_level,
        "link": link,
    }
    _check_article(unit, data)
    article = Article(
        unit=unit,
        **{**data, "title": typed_text(title), "outlet": typed_text(outlet)},
        highlight=highlight.strip(),
    )
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_update(*, record: Article, expected_version: int | None, **changes) -> Article:
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update() got unexpected fields: {sorted(unknown)}")
    _check_article(record.unit, {f: changes.get(f, getattr(record, f)) for f in ARTICLE_FIELDS})
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def article_delete(*, record: Article) -> Article:
    return record_soft_delete(record=record)
