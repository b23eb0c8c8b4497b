"""Campaigns (主题宣传), donations (exact fen), volunteer activities and selections (评选).

No requirement counts them; the summary tells them from their records (``campaigns.record_types``).
"""
