"""Published items and the three-review check, counted in one query."""

from taizhang.core.periods import Period
from taizhang.documents.summary.facts import summary_facts
from taizhang.org.models import Unit
from taizhang.review import queries
from taizhang.review.models import Decision, Draft, DraftState

H1 = Period.parse("2020H1")


def test_the_demo_published_only_items_with_three_reviews(cppcc, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        counts = queries.engine_counts(units=Unit.objects.all(), start=H1.start, end=H1.end)
    assert sum(n for n, _ in counts[cppcc.pk].values()) == 5
    assert sum(bad for _, bad in counts[cppcc.pk].values()) == 0
    items = summary_facts(unit=cppcc, period=H1).records["published_items"]
    assert len(items) == 5 and all(item.info["full_review"] for item in items)


def test_an_item_published_without_three_approvals_is_a_violation(cppcc):
    draft = Draft.objects.filter(unit=cppcc, state=DraftState.PUBLISHED, published_on__lte=H1.end).first()
    Decision.objects.filter(draft=draft, stage="second").delete()  # as a careless import might leave it
    counts = queries.engine_counts(units=Unit.objects.filter(pk=cppcc.pk), start=H1.start, end=H1.end)
    assert sum(bad for _, bad in counts[cppcc.pk].values()) == 1
