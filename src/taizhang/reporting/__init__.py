"""信息报送 / 社情民意: submissions, their adoptions (level, publication and issue), publicity articles.

Seams for the rules engine and the documents (both in ``reporting.queries``):

* ``measure_counts(*, units, period) -> {unit_id: {measure: n}}`` — one grouped query per table:
  ``submissions``, ``public_sentiment_submissions``, ``adoptions``, ``adoptions_city_or_higher``,
  ``publicity_articles``, ``publicity_articles_city_or_higher``, ``reporting_points``.

``queries.ranking`` ranks units by points for the periodic bulletin (通报).
"""
