"""阵地备案: the organisation's own channels, their administrator, registration and review dates.

Records channels only — never their messages or their members' speech (DESIGN.md). Seams
(``channels.queries``):

* ``measure_counts(*, units, period)`` — ``channels_active``, ``channels_unregistered_or_unreviewed``.
"""
