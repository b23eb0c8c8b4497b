"""One declaration per record type: every layer that names a type finds it in the registry."""

import pytest
from django.apps import apps
from django.urls import reverse

from taizhang.core.registry import REGISTRY, checked, countable, stocks
from taizhang.rules.framework import parse_framework


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_each_declared_type_reads_its_table(code, db):
    declared = REGISTRY[code]
    model = apps.get_model(declared.model)
    rows = model.objects.filter(**{f"{declared.unit_field}__path__startswith": "/"}, **declared.where)
    rows.values_list("id", declared.date_field, declared.title_field)[:1].exists()  # the fields exist
    assert not declared.list_url or reverse(declared.list_url)
    assert declared.measure in "次篇条期个元项起"
    if declared.base:
        assert REGISTRY[declared.base].model == declared.model


def test_what_the_engine_judges_of_a_type_is_its_declaration():
    """Stocks and checked types are read from the declarations; each has a counter that says, for
    a checked type, how many of its records fail the check."""
    assert {"channels", "high_risks"} <= stocks() and checked() <= set(countable())
    for code in stocks() | checked():
        assert REGISTRY[code].counter, code


def test_a_framework_counting_an_undeclared_type_is_refused_naming_the_declared_ones(tmp_path, settings):
    text = (settings.FRAMEWORKS_DIR / "ideology.yaml").read_text(encoding="utf-8")
    bad = text.replace("counts: publicity_articles\n", "counts: tweets\n", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    errors = parse_framework(path).errors
    assert len(errors) == 1 and "counts “tweets” 未知" in errors[0] and "publicity_articles" in errors[0]
