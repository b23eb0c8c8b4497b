"""阵地备案: the organisation's own channels, their administrator, registration and review dates.

Records channels only — never their messages or their members' speech (DESIGN.md). What the engine
counts of them is declared in ``channels.record_types``.
"""
