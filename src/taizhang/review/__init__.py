"""三审制: drafts pass first, second and final review by configured posts, then are published on a channel.

The state machine is ``review.services`` (see its docstring). Seams (``review.queries``):

* ``measure_counts(*, units, period)`` — ``published_items``, ``published_without_three_reviews``.
"""
