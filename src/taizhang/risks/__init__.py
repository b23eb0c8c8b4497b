"""研判: risk points (area, level, owner, status, review date) and the assessment meetings that reviewed them.

Also 舆情处置: public-opinion incidents about the unit and what the unit did about them (never who
posted them). What the engine counts of them is declared in ``risks.record_types``;
``queries.overdue_high_risks`` is the unit's to-do list.
"""
