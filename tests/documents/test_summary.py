"""The work summary, read as a document secretary would read it, and its figures checked as an
inspector would check them: every figure rests on its own records, none is stated twice, the prose
is the genre's and not a data report, and the closing sections are always written."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import opencc
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core.periods import Period
from taizhang.documents.output.formats import explain_json
from taizhang.documents.output.scripts import in_script
from taizhang.documents.summary.facts import default_date
from taizhang.documents.summary.queries import summary_for
from taizhang.documents.summary.wording import topic_core
from taizhang.ledger.models import Activity, ActivityKind
from taizhang.ledger.services import activity_create
from taizhang.org.models import UnitKind
from taizhang.org.services import unit_create
from taizhang.reporting.models import Level, SubmissionKind
from taizhang.reporting.services import adoption_create, article_create, submission_create

from .conftest import east_asian, read_docx

H1 = Period.parse("2020H1")
YEAR = Period.parse("2020")
WRITTEN = date(2020, 7, 6)
COUNTED = set("次篇条期场")  # the measure words of counted records (元, 个 of masks: sums)
DEMO = [("cppcc", H1, 2500), ("cppcc", YEAR, 1500), ("school", YEAR, 1500)]


def _summary(unit, period=H1, **kwargs):
    return summary_for(unit=unit, period=period, written_on=WRITTEN, **kwargs)


def _chinese(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def _section(doc, title: str) -> list[str]:
    """The body paragraphs under the level-1 heading ending with ``title``."""
    out, inside = [], False
    for block in doc.blocks:
        if block.level == 1:
            inside = block.text.endswith(title)
        elif inside:
            out.append(block.text)
    return out


def _check_provenance(doc) -> None:
    """What ``--explain --json`` promises: a counted figure equals its records; no record is stated twice."""
    data = explain_json(doc)
    owner: dict[tuple[str, int], str] = {}
    for fig in data["figures"]:
        refs = [(r["type"], r["id"]) for r in fig["records"]]
        assert refs, f"{fig['label']} rests on no record"
        if fig["unit"] and fig["unit"][-1] in COUNTED:
            assert fig["value"] == len(refs), fig
        for ref in refs:
            assert ref not in owner, f"{ref} is behind both “{owner[ref]}” and “{fig['label']}”"
            owner[ref] = fig["label"]
        assert doc.text[fig["start"] : fig["end"]] == fig["text"]
        assert fig["text"].endswith(fig["unit"]) or fig["unit"] in ("元", "%") or fig["text"].endswith("元")


@pytest.mark.parametrize(("code", "period", "length"), DEMO)
def test_the_demo_summaries_pass_the_inspectors_checks(code, period, length, db):
    from taizhang.org.models import Unit

    doc = _summary(Unit.objects.get(code=code), period)
    _check_provenance(doc)
    assert doc.placeholders == []
    assert _chinese(doc.text) >= length
    for title in ("存在的问题", "下一步打算"):
        points = [p for p in _section(doc, title) if re.match(r"^[一二三四五六七八九十]+是", p)]
        assert len(points) >= 2, (title, _section(doc, title))
        # Never a rule's title pasted with its parentheses, never an instruction to the clerk.
        assert not any(re.search(r"（(每|至少)", p) or "请" in p for p in _section(doc, title))


def test_the_cppcc_half_year_states_the_seeds_figures_once_each(cppcc, seed_texts):
    from tests.seedfigures import cppcc_seed, figures

    seed = figures(cppcc_seed(seed_texts))
    text = _summary(cppcc).text
    for phrase in ("理论学习中心组学习4次", "专题研讨2次", "集中学习8次", "党小组学习6次", "主题党日6次"):
        assert text.count(phrase) == 1, phrase
    assert (
        f"《各界反映》{seed['gejie_issues']}期" in text and f"《政协调研》{seed['research_issues']}期" in text
    )
    assert f"口罩{seed['masks']}个" in text
    assert f"{seed['members_wan_more_than']}万余元" in text and f"{seed['goods_wan']}万元" in text
    articles = sum(int(n) for n in re.findall(r"刊发(?:宣传稿件)?(\d+)篇", text))
    assert articles > seed["articles_more_than"]
    # The submissions are stated in one place only (they were in two sections).
    assert text.count("社情民意信息27条") == 1
    # The two volunteer days are counted once each: one with the campaign that holds it, one apart.
    assert sum(int(n) for n in re.findall(r"志愿服务(\d+)次", text)) == 2


def test_the_opening_frames_the_period_and_the_body_never_talks_about_the_ledger(cppcc, school):
    for unit, period in ((cppcc, H1), (school, YEAR)):
        doc = _summary(unit, period)
        opening = doc.blocks[0].text
        assert (opening.startswith(period.label) and "领导下" in opening) or "落实" in opening
        assert re.search(r"现将.*总结如下：$", opening)
        body = doc.text
        for words in ("台账", "记录显示", "从记录看", "考勤记录", "报告如下", "据实填写", "登记在册"):
            assert words not in body, words


def test_no_phrasing_is_used_three_times_and_no_breakdown_equals_its_total(cppcc, school):
    for unit, period in ((cppcc, H1), (cppcc, YEAR), (school, YEAR)):
        doc = _summary(unit, period)
        skeletons: dict[str, int] = {}
        for block in doc.blocks:
            if block.level:
                continue
            for sentence in re.split(r"(?<=[。；])", block.text):
                shape = re.sub(r"[\d.]+[万余]*", "N", sentence)
                shape = re.sub(r"“[^”]*”|《[^》]*》", "X", shape).strip()
                if len(shape) > 12:
                    skeletons[shape] = skeletons.get(shape, 0) + 1
        assert max(skeletons.values()) < 3, [s for s, n in skeletons.items() if n >= 3]
        figures = explain_json(doc)["figures"]
        text = doc.text
        for i, fig in enumerate(figures[1:], start=1):
            before = figures[i - 1]
            between = text[before["end"] : fig["start"]]
            if "其中" in between and "。" not in between and fig["unit"] == before["unit"]:
                assert fig["value"] < before["value"], (before, fig)


def test_highlights_tell_the_half_years_story_in_the_clerks_words(cppcc):
    from taizhang.campaigns.models import Campaign

    text = _summary(cppcc).text
    campaign = Campaign.objects.get(unit=cppcc, title="疫情防控主题宣传")
    assert campaign.highlight and campaign.highlight in text
    told = Activity.objects.filter(unit=cppcc, date__range=(H1.start, H1.end)).exclude(highlight="")
    assert told.count() >= 3 and all(a.highlight in text for a in told)
    Campaign.objects.filter(pk=campaign.pk).update(highlight="改写后的做法与成效，一句话说清")
    assert "改写后的做法与成效，一句话说清。" in _summary(cppcc).text


def test_a_unit_built_here_with_sub_units_keeps_its_figures_apart(db):
    organ = unit_create(code="t-organ", name="测试局机关", short_name="测试局", kind=UnitKind.ORGAN)
    office = unit_create(code="t-office", name="测试局办公室", kind=UnitKind.OFFICE, parent=organ)
    kind = ActivityKind.objects.get(code="collective_study")
    for unit, days in ((organ, (3, 10, 17)), (office, (5, 12))):
        for day in days:
            activity_create(
                unit=unit, kind=kind, date=date(2020, 3, day), topic=f"学习会{day}", minutes="记录"
            )
    from taizhang.org.services import person_create

    writer = person_create(unit=office, name="测试信息员")
    sub = submission_create(
        unit=office,
        author=writer,
        date=date(2020, 4, 1),
        kind=SubmissionKind.PUBLIC_SENTIMENT,
        title="一条信息",
    )
    adoption_create(submission=sub, level=Level.CITY, publication="市《社情》", date=date(2020, 4, 9))
    article_create(unit=organ, date=date(2020, 5, 1), title="稿件", outlet="市日报", outlet_level=Level.CITY)
    doc = _summary(organ)
    _check_provenance(doc)
    assert "集中学习3次" in doc.text and "各委室" in doc.text and "集中学习2次" in doc.text
    assert "社情民意信息1条" in doc.text and "市《社情》采用1条" in doc.text
    # Nothing recorded for an area: the clerk is asked, and --strict refuses the draft.
    assert any("阵地管理与文明建设方面的工作情况" in p for p in doc.placeholders)
    with pytest.raises(CommandError) as refused:
        call_command(
            "report", "summary", "--unit", "t-organ", "--period", "2020H1", "--format", "md", "--strict"
        )
    assert refused.value.returncode == 1 and "待补充" in str(refused.value)


def test_explain_json_prints_every_figure_with_its_records(cppcc, capsys):
    call_command("report", "summary", "--unit", "cppcc", "--period", "2020H1", "--explain", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["placeholders"] == []
    seminars = next(f for f in data["figures"] if f["label"] == "专题研讨次数")
    seminars_h1 = Activity.objects.filter(unit=cppcc, kind__code="seminar", date__range=(H1.start, H1.end))
    ids = set(seminars_h1.values_list("id", flat=True))
    assert {r["id"] for r in seminars["records"]} == ids and seminars["value"] == len(ids)
    assert {r["type"] for r in seminars["records"]} == {"activities"}


def test_a_closed_period_is_dated_after_its_end_and_the_command_says_so(cppcc, capsys, tmp_path):
    assert default_date(H1, today=date(2026, 11, 30)) == date(2020, 7, 6)
    assert default_date(YEAR, today=date(2026, 11, 30)) == date(2021, 1, 5)
    assert default_date(Period.parse("2026H2"), today=date(2026, 11, 30)) == date(2026, 11, 30)
    out = tmp_path / "s.md"
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "md", "-o", str(out)
    )
    text = out.read_text(encoding="utf-8")
    assert (
        "2020年7月6日" in text
        and f"{date.today():%Y}年{date.today().month}月{date.today().day}日" not in text
    )
    assert "落款日期：2020-07-06" in capsys.readouterr().err


def test_the_clerks_text_replaces_the_proposals(cppcc):
    doc = _summary(cppcc, shortcomings=["我们自己写的问题。"], next_steps=["我们自己写的打算。"])
    assert _section(doc, "存在的问题") == ["我们自己写的问题。"]
    assert _section(doc, "下一步打算") == ["我们自己写的打算。"]


def test_the_phrases_are_data_an_organisation_edits(cppcc, settings, tmp_path):
    shutil.copytree(settings.FRAMEWORKS_DIR, tmp_path / "fw")
    path = tmp_path / "fw" / "summary.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("opening:\n") + len("opening:\n")
    text = text[:start] + '  - "{period}，{unit}按本单位自己的写法开篇。"\n' + text[start:].split("\n", 3)[3]
    path.write_text(text, encoding="utf-8")
    # The headings a CPPCC organ's sections are chosen from are its profile's pool (profiles.yaml).
    profiles = yaml.safe_load((tmp_path / "fw" / "profiles.yaml").read_text(encoding="utf-8"))
    profiles["profiles"]["cppcc"]["headings"]["theory_study"] = ["学习抓在经常，武装落在实处"]
    (tmp_path / "fw" / "profiles.yaml").write_text(
        yaml.safe_dump(profiles, allow_unicode=True), encoding="utf-8"
    )
    settings.FRAMEWORKS_DIR = tmp_path / "fw"
    doc = _summary(cppcc)
    assert doc.blocks[0].text.startswith("2020年上半年，县政协机关按本单位自己的写法开篇。")
    assert any(b.text == "二、学习抓在经常，武装落在实处" for b in doc.blocks)


def test_no_sentence_is_copied_from_the_seeds(cppcc, school, seed_texts):
    t2s = opencc.OpenCC("t2s")
    seeds = "".join(t2s.convert(re.sub(r"\s+", "", text)) for text in seed_texts.values())
    for unit in (cppcc, school):
        for period in (H1, YEAR):
            doc = _summary(unit, period)
            text = (
                "|".join(block.text for block in doc.blocks[1:] if not block.level) + "|" + doc.blocks[0].text
            )
            # Names of the ledger's own records (topics, materials, titles) are quoted, not our prose.
            for topic, materials in Activity.objects.filter(unit__path__startswith=unit.path).values_list(
                "topic", "materials"
            ):
                core = topic_core(topic)
                names = [topic.replace("“", "‘").replace("”", "’"), topic, core, core.removeprefix("制定")]
                for quoted in [*names, core.removeprefix("印发"), *materials.splitlines()]:
                    if quoted.strip():
                        text = text.replace(quoted.strip(), "|")
            # So are the names the phrase library holds as data: the guiding thought, the year's campaign.
            for name in _profile_names():
                text = text.replace(name, "|")
            text = re.sub(r"\s+", "", text)
            copied = {text[i : i + 18] for i in range(len(text) - 17) if text[i : i + 18] in seeds}
            assert not copied


def _profile_names() -> list[str]:
    """The names the data holds (the guiding thought, the year's campaign, a profile's line of work):
    quoted data, not our prose."""
    from taizhang.core.framework_file import phrases
    from taizhang.documents.summary.facts import load_profiles

    names = {phrases()["guidance"]}
    for entry in phrases()["years"].values():
        names.update(v for v in entry.values() if isinstance(v, str))
    data = load_profiles()
    for entry in [*data["profiles"].values(), *data["lines"]]:
        names.update(v for v in entry.values() if isinstance(v, str))
    return sorted(names, key=len, reverse=True)


def test_traditional_script_converts_everything(cppcc):
    doc = in_script(_summary(cppcc), "traditional")
    assert doc.title == "縣政協機關2020年上半年意識形態工作總結"
    assert "學習" in doc.text and "黨組" in doc.text
    s2hk = opencc.OpenCC("s2hk")  # the seed's standard, the default traditional
    assert s2hk.convert(doc.text) == doc.text


def test_the_docx_reads_as_the_document(cppcc, tmp_path):
    out = tmp_path / "s.docx"
    call_command(
        "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "docx", "-o", str(out)
    )
    docx = read_docx(out.read_bytes())
    assert docx.paragraphs[0].text == "县政协机关2020年上半年意识形态工作总结"
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "专题研讨2次" in text and "党小组学习6次" in text and "待补充" not in text
    headings = [p for p in docx.paragraphs if re.match(r"^[一二三四五六七]、", p.text)]
    assert len(headings) == 7 and all(east_asian(r) == "黑体" for p in headings for r in p.runs)


def test_figures_follow_the_ledger(cppcc):
    before = _summary(cppcc).figures["study.seminar"].value
    activity_create(
        unit=cppcc,
        kind=ActivityKind.objects.get(code="seminar"),
        date=date(2020, 5, 6),
        topic="新增的专题研讨",
        minutes="记录",
    )
    assert _summary(cppcc).figures["study.seminar"].value == before + 1


def test_the_summary_reads_the_ledger_in_a_fixed_number_of_queries(cppcc, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        _summary(cppcc)


@pytest.mark.parametrize(("code", "period"), [("cppcc", H1), ("school", YEAR)])
def test_the_engine_and_the_summary_count_the_same_records(code, period, db):
    """The engine judges through the rollup, the summary tells from the records: for every rule that
    counts a unit's own activities or practice records, what the engine counted (and left out for
    want of evidence) is exactly the records the summary's facts hold for that rule."""
    from taizhang.core.registry import REGISTRY
    from taizhang.documents.summary import counted
    from taizhang.documents.summary.facts import summary_facts
    from taizhang.org.models import Unit
    from taizhang.rules.check import compliance
    from taizhang.rules.requirements import rules_of

    unit = Unit.objects.get(code=code)
    facts = summary_facts(unit=unit, period=period)
    check = compliance(unit=unit, window=period)
    rules = {r.code: r for r in rules_of(check.framework)}
    compared = 0
    for result in check.results:
        rule = rules[result.requirement]
        if rule.measure not in ("count", "document") or result.status == "not_measured":
            continue
        p = result.period
        if rule.counts == "activities":
            recs = [a for a in facts.records["activities"] if a.kind in rule.kinds]
        elif rule.counts in ("submissions", "publicity_articles", "adoptions"):
            recs = list(facts.records[rule.counts])
        else:
            continue
        own = [r for r in recs if r.unit == unit.pk and p.start <= r.day <= p.end]
        # an aggregate imported from a past summary counts as the records it stands for
        assert result.actual + result.excluded == counted(own), (
            rule.code,
            p.code,
            REGISTRY[rule.counts].name,
        )
        compared += 1
    assert compared >= 5
