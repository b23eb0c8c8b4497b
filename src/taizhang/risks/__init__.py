"""研判: risk points (area, level, owner, status, review date) and the assessment meetings that reviewed them.

Seams (``risks.queries``):

* ``measure_counts(*, units, period)`` — ``risk_assessments`` (assessment meetings that reviewed a
  risk point), ``risk_points_open``, ``high_risks_overdue``.

``queries.overdue_high_risks`` is the unit's to-do list.
"""
