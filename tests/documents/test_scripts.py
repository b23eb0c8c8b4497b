"""Traditional script as the CPPCC seed writes it, protected place names, and what the file declares."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import opencc
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn

from taizhang.core.periods import Period
from taizhang.documents.output import gbt9704, pdf
from taizhang.documents.output.model import Document, para
from taizhang.documents.output.scripts import (
    SCRIPTS,
    convert,
    in_script,
    names_for,
    place_names,
    protected_words,
)
from taizhang.documents.summary.queries import summary_for
from taizhang.org.models import UnitKind
from taizhang.org.services import person_create, unit_create
from tests.seedfigures import cppcc_seed

from .conftest import east_asian, read_docx

H1 = Period.parse("2020H1")


def _differences(a: str, b: str) -> list[tuple[str, str]]:
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_the_seed_survives_a_round_trip_through_simplified(seed_texts):
    """Simplify the seed, convert it back the way documents are converted: every character returns."""
    seed = cppcc_seed(seed_texts)
    simplified = opencc.OpenCC("hk2s").convert(seed)
    assert _differences(convert(simplified, "traditional"), seed) == []
    # What the protected word and the choice of standard are worth: OpenCC's s2hk alone misses the
    # place name 谷城, and the other standards miss more (s2t writes 爲 and 覈 where the seed has 為, 核).
    assert _differences(convert(simplified, "traditional", protected=()), seed) == [("穀", "谷")]
    assert len(_differences(convert(simplified, "traditional-cn"), seed)) > 10
    assert len(_differences(convert(simplified, "traditional-tw"), seed)) > 5


def test_protected_words_are_read_from_the_frameworks_directory(settings, tmp_path):
    default = protected_words()
    assert "谷城" in default and not any(word.startswith("#") for word in default)
    header = (Path(settings.FRAMEWORKS_DIR) / "protected_words.txt").read_text(encoding="utf-8")
    assert header.startswith("#")  # the file explains itself
    (tmp_path / "protected_words.txt").write_text("# 本县地名\n\n丰台\n谷城\n", encoding="utf-8")
    settings.FRAMEWORKS_DIR = tmp_path
    assert convert("丰台区和谷城县的发展", "traditional") == "丰台區和谷城縣的發展"
    assert convert("丰台区和谷城县的发展", "traditional-tw") == "丰台區和谷城縣的發展"
    (tmp_path / "protected_words.txt").unlink()
    assert convert("谷城", "traditional") == "穀城"  # an organisation without the file converts everything


@pytest.mark.parametrize(
    ("script", "written", "lang"),
    [
        ("traditional", "着力", "zh-HK"),
        ("traditional-tw", "著力", "zh-TW"),
        ("traditional-cn", "着力", "zh-TW"),
    ],
)
def test_each_traditional_choice_writes_its_standard_and_declares_its_language(script, written, lang):
    doc = in_script(Document(title="工作总结", blocks=(para("着力抓好为民服务。"),)), script)
    assert written in doc.text
    assert ("爲" in doc.text) == (script == "traditional-cn")  # only OpenCC's own standard writes 爲
    docx = read_docx(gbt9704.render(doc))
    defaults = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == lang


def test_the_traditional_docx_declares_faces_that_hold_traditional_characters(cppcc):
    summary = summary_for(unit=cppcc, period=H1, written_on=date(2020, 7, 6))
    docx = read_docx(gbt9704.render(in_script(summary, "traditional")))
    declared = {east_asian(run) for p in docx.paragraphs for run in p.runs}
    assert declared <= {"方正小标宋繁体", "仿宋", "黑体", "楷体", "宋体"}
    assert "仿宋" in declared and "方正小标宋繁体" in declared
    xml = docx.element.xml + docx.styles.element.xml
    assert "GB2312" not in xml and "简体" not in xml and "zh-CN" not in xml
    # The simplified document keeps the faces GB/T 9704 names.
    simplified = read_docx(gbt9704.render(summary))
    assert east_asian(simplified.paragraphs[0].runs[0]) == "方正小标宋简体"
    assert {east_asian(r) for r in simplified.paragraphs[2].runs} == {"仿宋_GB2312"}


def test_the_body_keeps_one_face_and_a_heading_its_face_cannot_draw_changes_face_whole():
    """For the PDF: the body's face holds every character of the Hong Kong standard (着, 羣, 衞), so
    every body paragraph keeps 仿宋; a 楷体 heading with a character AR PL UKai lacks is set whole in
    宋体, never a line in two Chinese faces."""
    if pdf._charset("楷体", "zh-HK") is None:
        pytest.skip("needs fontconfig (fc-match, fc-query), fonts-noto-cjk and fonts-arphic-ukai")
    doc = in_script(
        Document(
            title="总结",
            blocks=(
                para("坚持为民服务。"),
                para("紧紧围绕着中心工作，羣策羣力，", "服务大局。"),
                para("（一）走访塅上村", level=2),
                para("（二）走访上村", level=2),
            ),
        ),
        "traditional",
    )
    docx = read_docx(gbt9704.render(doc, holds=pdf.face_holds))
    plain, lacking_elsewhere, rare, common = docx.paragraphs[2:6]
    assert "着" in lacking_elsewhere.text and "塅" in rare.text
    assert {east_asian(r) for r in plain.runs} == {east_asian(r) for r in lacking_elsewhere.runs} == {"仿宋"}
    assert {east_asian(r) for r in rare.runs} == {"宋体"}  # the whole heading, not just 塅
    assert {east_asian(r) for r in common.runs} == {"楷体"}
    # The .docx for Word keeps 楷体 throughout: Word's 楷体 holds every character.
    assert {east_asian(r) for r in read_docx(gbt9704.render(doc)).paragraphs[4].runs} == {"楷体"}


def test_cli_writes_each_script_and_the_batch_names_say_which(cppcc, tmp_path):
    out = tmp_path / "tw.md"
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "md",
        "--script", "traditional-tw", "--date", "2020-07-06", "-o", str(out),
    )  # fmt: skip
    assert "總結" in out.read_text(encoding="utf-8")
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--with-children", "--script",
        "traditional", "--out-dir", str(tmp_path / "batch"), "--jobs", "1",
    )  # fmt: skip
    names = sorted(p.name for p in (tmp_path / "batch").iterdir())
    assert names and all(name.endswith("意识形态工作总结（繁体）.docx") for name in names)


def test_the_web_download_is_named_for_its_script_and_the_form_offers_each(cppcc_clerk, cppcc):
    url = "/documents/summary/cppcc/2020H1/"
    page = cppcc_clerk.get(url).content.decode()
    offered = re.findall(r'<option value="([\w-]+)"', page)
    assert offered == list(SCRIPTS)
    response = cppcc_clerk.get(url + "download.docx", {"script": "traditional"})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "%EF%BC%88%E7%B9%81%E4%BD%93%EF%BC%89.docx" in disposition  # …（繁体）.docx, UTF-8 encoded
    assert read_docx(response.content).paragraphs[0].text.startswith("縣政協機關")
    simplified = cppcc_clerk.get(url + "download.docx")
    assert "%E7%B9%81" not in simplified["Content-Disposition"]  # no 繁 in the simplified file's name
    refused = cppcc_clerk.get(url + "download.docx", {"script": "klingon"})
    assert refused.status_code == 400 and "traditional-tw" in refused.content.decode()


def test_place_names_are_read_from_the_front_of_unit_names():
    assert place_names("清源县", region=True) == ["清源"]
    assert place_names("湖北省谷城县委宣传部") == ["湖北", "谷城"]
    assert place_names("中共谷城县委宣传部") == ["谷城"]
    assert place_names("城关镇机关党支部") == ["城关"] and place_names("城东社区党支部") == ["城东"]
    assert place_names("海淀区", region=True) == ["海淀"]
    # Names that begin with no place: the county's own organs, and 区 that is not a region's.
    for name in (
        "县委宣传部",
        "县政协社会法制民族宗教委员会",
        "县人民医院党支部",
        "县实验中学第二党小组",
        "经济开发区管委会",
    ):
        assert place_names(name) == [], name


def test_people_and_places_of_the_unit_tree_keep_their_writing_in_traditional(cppcc):
    """董丽杰 is a person of the CPPCC organ: OpenCC would write 董麗傑; ordinary words still convert."""
    summary = summary_for(unit=cppcc, period=H1, written_on=date(2020, 7, 6))
    assert "董丽杰" in summary.text
    assert "董麗傑" in in_script(summary, "traditional").text  # what OpenCC alone does
    for script in ("traditional", "traditional-tw", "traditional-cn"):
        doc = in_script(summary, script, unit=cppcc)
        assert "董丽杰" in doc.text and "董麗傑" not in doc.text, script
        assert doc.title.startswith("縣政協機關")  # the unit's name is words, converted as the seed writes it
    names = names_for(cppcc)
    assert {"董丽杰", "余娟欣"} <= names.people and "清源" in names.places
    assert convert("余娟欣同志", "traditional", names=names) == "余娟欣同志"  # not 餘, the surname


def test_a_new_unit_tree_protects_its_own_places_and_people(db, settings, tmp_path):
    """Without the words file, a county named 谷城 and a person named 范丰 are kept all the same."""
    settings.FRAMEWORKS_DIR = tmp_path  # no protected_words.txt: only the tree protects
    county = unit_create(code="gucheng", name="谷城县", kind=UnitKind.REGION)
    organ = unit_create(code="gucheng-cppcc", name="谷城县政协机关", kind=UnitKind.ORGAN, parent=county)
    person_create(unit=organ, name="范丰")
    doc = Document(title="谷城县政协机关工作总结", blocks=(para("范丰同志在谷城县宣讲，后发表文章。"),))
    assert in_script(doc, "traditional").blocks[0].text == "範豐同志在穀城縣宣講，後發表文章。"
    kept = in_script(doc, "traditional", unit=organ)
    assert kept.blocks[0].text == "范丰同志在谷城縣宣講，後發表文章。"
    assert kept.title == "谷城縣政協機關工作總結"
