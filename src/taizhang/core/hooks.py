"""Answers an app asks of an app above it, registered by the app above when the apps are ready.

The arrows of the house run down (tests/test_import_graph.py): the ledger may not import the rules,
yet its pages say whether a meeting counts toward the requirements, which only the rules know. The
app below names what it asks (a ``Hooks``), the app above fills it in from its ``AppConfig.ready``,
and a question asked before that (an app loaded without the one that answers) fails loudly.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hooks:
    """A set of named answers (functions, classes) that ``register`` fills in; read as attributes."""

    def __init__(self, name: str, answered_by: str):
        self._name = name
        self._answered_by = answered_by
        self._parts: dict[str, Any] = {}

    def register(self, **parts: Any) -> None:
        self._parts.update(parts)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._parts[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"{self._name}.{name} is registered by {self._answered_by} when it is ready"
            ) from None
