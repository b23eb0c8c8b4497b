"""The bulletin ranks a tree's units; the batch writes one summary per unit of the tree."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command

from taizhang.core.periods import Period
from taizhang.documents.queries import bulletin_for
from taizhang.org.models import Unit, UnitKind
from taizhang.org.services import person_create, unit_create
from taizhang.reporting import queries as reporting_queries
from taizhang.reporting.models import Adoption, Level
from taizhang.reporting.services import adoption_create, article_create, submission_create

from .conftest import read_docx

H1 = Period.parse("2020H1")


def test_bulletin_states_each_units_submissions_adoptions_articles_and_activities(cppcc):
    doc = bulletin_for(root=cppcc, period=H1)
    ranked = [b.text for b in doc.blocks if b.text[:1].isdigit()]
    assert ranked[0].startswith("1. 县政协机关：报送信息30条，被采用33条次，刊发宣传稿件62篇")
    assert ranked[0].endswith("登记活动38次。")
    assert len(ranked) == Unit.objects.filter(path__startswith=cppcc.path).count()
    assert doc.figures["unit.1"].value == len(doc.figures["unit.1"].record_ids) == 38
    adoptions = doc.figures["unit.1.adoptions"]
    assert set(adoptions.record_ids) == set(
        Adoption.objects.filter(submission__unit=cppcc, date__range=(H1.start, H1.end)).values_list(
            "id", flat=True
        )
    )
    assert adoptions.source == "采用记录"
    points = reporting_queries.measure_counts(units=Unit.objects.filter(pk=cppcc.pk), period=H1)
    assert doc.figures["unit.1.points"].value == points[cppcc.pk]["reporting_points"]


def test_bulletin_ranks_by_points_then_adoptions_then_submissions(db):
    """A small tree: points first; level on points, more adoptions first; then submissions."""
    root = unit_create(code="b-root", name="某县委宣传部", kind=UnitKind.REGION)
    units = {
        name: unit_create(code=f"b-{i}", name=name, kind=UnitKind.ORGAN, parent=root)
        for i, name in enumerate(["甲单位", "乙单位", "丙单位", "丁单位", "戊单位"])
    }
    day = date(2020, 3, 2)

    def submit(unit, n, level=None):
        author = person_create(unit=unit, name=f"{unit.name}联络员{n}")
        sub = submission_create(unit=unit, author=author, date=day, kind="public_sentiment", title=f"信息{n}")
        if level:
            adoption_create(submission=sub, level=level, publication="《简报》", date=day)

    submit(units["甲单位"], 1, Level.CITY)  # 3 points from one adoption
    for n in range(3):
        submit(units["乙单位"], n, Level.COUNTY)  # 3 points from three adoptions: ahead of 甲
    for n in range(5):
        article_create(
            unit=units["丙单位"], date=day, title=f"稿件{n}", outlet="县电视台", outlet_level=Level.COUNTY
        )
    submit(units["丁单位"], 1)  # submitted, nothing adopted: no points, ahead of 戊 on submissions

    doc = bulletin_for(root=root, period=H1, written_on=date(2020, 7, 10))
    ranked = [b.text.split("：")[0] for b in doc.blocks if b.text[:1].isdigit()]
    assert ranked == ["1. 丙单位", "2. 乙单位", "3. 甲单位", "4. 丁单位", "5. 戊单位", "6. 某县委宣传部"]
    assert [doc.figures[f"unit.{r}.points"].value for r in range(1, 7)] == [5, 3, 3, 0, 0, 0]
    assert doc.figures["unit.2.adoptions"].value == 3 and doc.figures["unit.3.adoptions"].value == 1
    silent = next(line for line in doc.text.split("二、有关要求")[1].splitlines() if "没有信息报送" in line)
    assert silent.startswith("戊单位、某县委宣传部本期没有信息报送")
    assert doc.title == "关于2020年上半年意识形态工作信息报送及开展情况的通报"


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


def test_bulletin_reads_the_whole_tree_in_a_fixed_number_of_queries(cppcc, django_assert_max_num_queries):
    # units, then one per table (activities, submissions, adoptions, articles), and the reporting
    # module's grouped points (one per table): never a query per unit
    with django_assert_max_num_queries(1 + 4 + 3):
        bulletin_for(root=cppcc, period=H1)
