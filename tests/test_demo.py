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
