"""Commands acting as a login (``--as``) see what that login sees, through the same scope."""

import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_counts_as_a_clerk_of_another_unit_is_refused():
    with pytest.raises(CommandError, match="无权查看单位“school”"):
        call_command("ledger", "counts", "--unit", "school", "--period", "2020", "--as", "cppcc-clerk")


def test_counts_as_the_units_clerk_are_the_units_counts(capsys):
    call_command("ledger", "counts", "--unit", "school", "--period", "2020", "--json")
    everything = json.loads(capsys.readouterr().out)
    call_command("ledger", "counts", "--unit", "school", "--period", "2020", "--as", "school-clerk", "--json")
    assert json.loads(capsys.readouterr().out) == everything
    assert sum(everything.values()) > 0
