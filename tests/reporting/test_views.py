"""Submission pages show their adoptions and lead to recording one."""

from datetime import date

from django.urls import reverse

from taizhang.reporting.models import Adoption, Submission


def test_a_submission_page_lists_its_adoptions_and_records_another(cppcc_clerk, cppcc):
    submission = Submission.objects.filter(unit=cppcc, adoptions__publication="《各界反映》").first()
    html = cppcc_clerk.get(reverse("reporting:submission-detail", args=[submission.pk])).content.decode()
    assert "《各界反映》2020年第" in html and f"submission={submission.pk}" in html
    url = reverse("reporting:adoption-create") + f"?unit=cppcc&submission={submission.pk}"
    form = cppcc_clerk.get(url).context["form"]
    assert str(form.initial["submission"]) == str(submission.pk)
    response = cppcc_clerk.post(
        url,
        {
            "unit": "cppcc",
            "submission": submission.pk,
            "level": "province",
            "publication": "省政协《社情民意》",
            "date": submission.date.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Adoption.objects.filter(submission=submission, level="province").exists()


def test_an_adoption_of_another_units_submission_is_not_offered(cppcc_clerk, school):
    from taizhang.org.models import Person
    from taizhang.reporting.services import submission_create

    theirs = submission_create(
        unit=school,
        author=Person.objects.filter(unit__path__startswith=school.path).first(),
        date=date(2020, 5, 1),
        kind="work_info",
        title="他单位信息",
    )
    response = cppcc_clerk.post(
        reverse("reporting:adoption-create") + "?unit=cppcc",
        {"unit": "cppcc", "submission": theirs.pk, "level": "city", "publication": "x", "date": "2020-06-01"},
    )
    assert response.status_code == 200 and not Adoption.objects.filter(submission=theirs).exists()
