"""Places in a ranking: equal scores share a place (并列), and all-zero scores are no ranking."""

from taizhang.core.ranks import nothing_to_rank, places


def test_equal_scores_share_a_place_and_the_next_counts_every_unit_above():
    assert places([9, 7, 7, 5, 5, 5, 1]) == [
        (1, False),
        (2, True),
        (2, True),
        (4, True),
        (4, True),
        (4, True),
        (7, False),
    ]


def test_all_zero_is_nothing_to_rank():
    assert nothing_to_rank([0, 0, 0]) and nothing_to_rank([])
    assert not nothing_to_rank([0, 1])
