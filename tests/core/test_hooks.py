"""core asks the apps above it through hooks they fill when ready (core.hooks, core.units,
ledger.hooks): every answer asked for is registered, and one missing fails loudly, by name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from taizhang.core import units
from taizhang.core.hooks import Hooks
from taizhang.ledger import hooks as ledger_hooks


def test_org_registers_every_answer_core_asks_of_it():
    asked = [
        name
        for name, value in vars(units).items()
        if getattr(value, "__doc__", "") == f"``{name}`` as ``org`` registered it."
    ]
    assert {"visible_units", "writable_units", "scope", "password_change_pending"} <= set(asked)
    for name in [*asked, "unit_model", "person_model"]:
        assert callable(getattr(units._org, name)), name
    assert units.unit_model()._meta.label == "org.Unit" and units.person_model()._meta.label == "org.Person"


def test_the_rules_answer_what_the_ledger_asks():
    for name in (
        "Counting",
        "activity_standing",
        "needs_by_kind",
        "planned_standings",
        "tally",
        "with_evidence",
    ):
        assert getattr(ledger_hooks.counting, name).__module__ == "taizhang.rules.counting", name


def test_an_answer_never_registered_fails_loudly_naming_who_answers():
    hooks = Hooks("ledger.hooks.example", "the rules app")
    with pytest.raises(
        ImproperlyConfigured, match=r"ledger\.hooks\.example\.standing is registered by the rules app"
    ):
        hooks.standing  # noqa: B018
    hooks.register(standing=len)
    assert hooks.standing is len
