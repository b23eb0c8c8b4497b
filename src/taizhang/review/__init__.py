"""三审制: drafts pass first, second and final review by configured posts, then are published on a channel.

The state machine is ``review.services`` (see its docstring). What the engine counts of published items
is declared in ``review.record_types``.
"""
