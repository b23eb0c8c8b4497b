"""Campaigns (主题宣传), donations (exact fen), volunteer activities and selections (评选).

Seams (``campaigns.queries``):

* ``measure_counts(*, units, period)`` — ``donations_fen``, ``goods_fen``, ``donated_items``,
  ``staff_donations_fen``, ``members_donations_fen``, ``members_goods_fen``,
  ``volunteer_activities``, ``selections``, ``campaigns``.
"""
