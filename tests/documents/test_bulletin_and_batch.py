"""The bulletin ranks a tree's units; the batch writes one summary per unit of the tree."""

from __future__ import annotations

from django.core.management import call_command

from taizhang.core.periods import Period
from taizhang.documents.queries import bulletin_for
from taizhang.org.models import Unit

from .conftest import read_docx


def test_bulletin_ranks_units_by_their_activities(cppcc):
    doc = bulletin_for(root=cppcc, period=Period.parse("2020H1"))
    ranked = [b.text for b in doc.blocks if b.text[:1].isdigit()]
    assert ranked[0].startswith("1. 县政协机关：登记活动39次")
    assert len(ranked) == Unit.objects.filter(path__startswith=cppcc.path).count()
    assert doc.figures["unit.1"].value == len(doc.figures["unit.1"].record_ids) == 39


def test_batch_writes_one_summary_per_unit_of_the_tree(cppcc, tmp_path):
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--with-children",
        "--out-dir", str(tmp_path), "--jobs", "1",
    )  # fmt: skip
    files = sorted(p.name for p in tmp_path.iterdir())
    codes = Unit.objects.filter(path__startswith=cppcc.path).values_list("code", flat=True)
    assert files == sorted(f"{code}-2020H1-意识形态工作总结.docx" for code in codes)
    office = read_docx((tmp_path / "cppcc-office-2020H1-意识形态工作总结.docx").read_bytes())
    assert office.paragraphs[0].text == "县政协办公室2020年上半年意识形态工作总结"
