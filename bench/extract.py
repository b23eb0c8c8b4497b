"""Benchmark: figure extraction against the plain approach, on a generated corpus of the genre.

Run: ``.venv/bin/python bench/extract.py [--megabytes 8] [--seed 7]``. Writes bench/results/extract.json.

The corpus is generated from templates of the genre (study lists, donations in 万/余, bulletins and
their issues, articles, attendance, dates) in both scripts, numbers in Arabic and Chinese numerals,
mixed with sentences of the two seeds that carry no figure (read from ../shared/seeds at run time),
and with traps: set phrases (四个意识, 一岗双责), section numbers (一是, 二、), ordinals (第一时间,
第三次), names with numerals (十九届四中全会, 五一期间) and quoted slogans (“五个强化”). Every count
the templates write is labelled with its value, measure word, kind and position.

The plain approach is cn2an's whole-text transform followed by one regex over the same measure
words. Both are measured in the same run, on one core, for:
- speed (MB of UTF-8 text per second; ours over the whole corpus, the plain one over a slice, it
  being slow);
- recall of the labelled counts (value and measure word), on the generated sample and on the seeds'
  own counts (listed below by the words around them);
- subjects: labelled counts whose kind (activity kind or record type) was found;
- positions: labelled counts found at their exact place in the original text;
- false positives on the traps: figures reported in text that holds no count.
Target (issue 13): at least 5 MB/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SEEDS = HERE.parents[1] / "shared" / "seeds"
TARGET_MB_PER_S = 5.0

# subject phrase as a summary writes it → the kind it counts, the measure word (a phrase the
# extractor's alias list does not hold verbatim is here on purpose: 党组理论学习中心组学习, …)
STUDY = [
    ("机关党组中心组学习", "central_group_study", "次"),
    ("党组理论学习中心组学习", "central_group_study", "次"),
    ("专题研讨", "seminar", "次"),
    ("机关干部集中学习", "collective_study", "次"),
    ("全体党员集中学习", "collective_study", "次"),
    ("党小组学习", "cell_study", "次"),
    ("支部主题党日", "theme_day", "次"),
    ("主题党日活动", "theme_day", "次"),
    ("专题党课", "party_lesson", "次"),
    ("微党课", "micro_lesson", "次"),
    ("支委会", "branch_committee_meeting", "次"),
    ("道德讲堂", "ethics_lecture", "期"),
    ("警示教育", "warning_education", "次"),
    ("专题研究意识形态工作", "ideology_session", "次"),
    ("意识形态工作联席会议", "joint_meeting", "次"),
    ("意识形态形势分析研判", "assessment", "次"),
    ("专题协商", "consultation", "次"),
    ("志愿服务活动", "volunteer_service", "次"),
]
WRITING = [
    ("学习体会", "reflections", "篇"),
    ("心得体会", "reflections", "篇"),
    ("社情民意信息", "public_sentiment_submissions", "条"),
    ("调研报告", "research_report_submissions", "篇"),
    ("宣传稿件", "publicity_articles", "篇"),
    ("新闻稿件", "publicity_articles", "篇"),
]
OTHER = [  # counts of things the ledger does not keep: no kind
    ("宣传资料", None, "份"),
    ("座谈会", None, "场"),
    ("宣传展板", None, "块"),
    ("培训班", None, "期"),
    ("问卷", None, "份"),
]
TIMES = ["今年以来", "上半年", "全年", "一年来", "年内", "截至目前"]
VERBS = ["开展", "组织", "举办", "召开", ""]
PUBLICATIONS = ["《各界反映》", "《政协调研》", "《工作简报》", "《信息专报》"]
DONORS = ["机关干部", "全县政协委员", "党员教师", "广大干部职工"]
TRAPS = [
    "班子成员带头增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
    "增强四个意识，坚定四个自信，做到两个维护，深刻领会两个确立的决定性意义。",
    "严格落实一岗双责，巩固三严三实成果，推进两学一做常态化制度化。",
    "坚持三会一课制度，落实三重一大决策机制，严格执行中央八项规定精神。",
    "一是加强组织领导。二是压实工作责任。三是强化督促检查。",
    "一、强化组织领导。二、抓实学习教育。三、推动工作落实。",
    "第一时间传达学习，第三次全体会议审议通过，荣获二等奖。",
    "深入学习贯彻党的十九大和十九届二中、三中、四中全会精神。",
    "利用清明、五一、五四、端午等节点宣传文明理念，五一期间开展志愿服务。",
    "主要表现在“五个强化”：同业务工作一起部署、一起落实、一起检查。",
    "向全体委员发出《致全县广大政协委员的一封信》，号召大家团结一心。",
    "做到两手抓、两手都要硬，推动各项工作一体推进。",
]
# The seeds' own counts, found by the words around them (the seeds are never copied here).
SEED_COUNTS = {  # (the words around it, the figure as written, value, measure word, kind)
    "000_": [
        ("不少於2次", "2次", 2, "次", "ideology_session"),
        ("召開1次", "1次", 1, "次", "joint_meeting"),
        ("中心組學習4次", "4次", 4, "次", "central_group_study"),
        ("專題研討2次", "2次", 2, "次", "seminar"),
        ("集中學習8次", "8次", 8, "次", "collective_study"),
        ("黨小組學習6次", "6次", 6, "次", "cell_study"),
        ("主題黨日6次", "6次", 6, "次", "theme_day"),
        ("捐款捐物18000餘元", "18000餘元", 18000, "元", "donations"),
        ("157.3萬餘元", "157.3萬餘元", 1573000, "元", "donations"),
        ("54.7萬元", "54.7萬元", 547000, "元", "donations"),
        ("5600個", "5600個", 5600, "个", "donations"),
        ("27期", "27期", 27, "期", None),
        ("3期", "3期", 3, "期", None),
        ("60餘篇", "60餘篇", 60, "篇", "publicity_articles"),
        ("全年不少於2次", "2次", 2, "次", "ideology_session"),
    ],
    "002_": [
        ("37.5 KB", "37.5 KB", 37.5, "KB", None),
        ("5页", "5页", 5, "页", None),
        ("一堂", "一堂", 1, "堂", "micro_lesson"),
    ],
}


class Doc:
    """A generated document: its text and the labelled counts (start, end, value, unit, kind).

    ``pdf``: text copied out of a PDF, as the school seed is: a space now and then between a number
    and its measure word."""

    def __init__(self, pdf: bool = False):
        self.pdf = pdf
        self.parts: list[str] = []
        self.size = 0
        self.labels: list[tuple[int, int, float, str, str | None]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def figure(self, text: str, value: float, unit: str, kind: str | None) -> None:
        self.labels.append((self.size, self.size + len(text), value, unit, kind))
        self.add(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _numeral(rng: random.Random, n: int) -> str:
    """Chinese numerals a quarter of the time, full-width digits (typed with a Chinese IME) now and then."""
    import cn2an

    draw = rng.random()
    if draw < 0.25:
        return cn2an.an2cn(n)
    if draw < 0.3:
        return str(n).translate(WIDE)
    if n >= 1000 and draw < 0.4:
        return f"{n:,}"
    return str(n)


def _count(rng: random.Random, doc: Doc, subject, kind, unit, choices=None) -> None:
    n = rng.choice(choices or [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 27, 30, 36, 48, 60])
    approx = rng.random() < 0.15 and n >= 10
    gap = " " if doc.pdf and rng.random() < 0.3 else ""
    doc.add(subject)
    doc.figure(f"{_numeral(rng, n)}{'余' if approx else ''}{gap}{unit}", n, unit, kind)


def _money(rng: random.Random, doc: Doc) -> None:
    doc.add(f"{rng.choice(DONORS)}{rng.choice(['累计捐款', '捐款捐物', '捐款', '捐助'])}")
    form = rng.randrange(5)
    if form == 4:
        thousands = rng.randrange(2, 10)
        doc.figure(f"{thousands}千元", thousands * 1000, "元", "donations")
    elif form == 0:
        yuan = rng.randrange(20, 400) * 100
        doc.figure(f"{yuan}余元", yuan, "元", "donations")
    elif form == 1:
        wan = rng.randrange(11, 2000) / 10
        doc.figure(f"{wan:g}万余元", round(wan * 10000), "元", "donations")
    elif form == 2:
        wan = rng.randrange(1, 90)
        doc.figure(f"{wan}万元", wan * 10000, "元", "donations")
    else:
        tens = rng.randrange(1, 10)
        import cn2an

        doc.figure(f"{cn2an.an2cn(tens * 10)}余万元", tens * 100000, "元", "donations")
    doc.add("，捐献口罩")
    masks = rng.randrange(2, 90) * 100
    doc.figure(f"{masks}个", masks, "个", "donations")
    doc.add("。")


def _paragraph(rng: random.Random, doc: Doc, filler: list[str]) -> None:
    for _ in range(rng.randrange(1, 4)):
        doc.add(rng.choice(filler))
    choice = rng.randrange(7)
    if choice <= 1:
        doc.add(f"{rng.choice(TIMES)}，{rng.choice(VERBS)}")
        picks = rng.sample(STUDY, rng.randrange(2, 6))
        for i, (subject, kind, unit) in enumerate(picks):
            if i:
                doc.add("，")
            _count(rng, doc, subject, kind, unit)
        doc.add("。")
    elif choice == 2:
        _money(rng, doc)
    elif choice == 3:
        a, b = rng.sample(PUBLICATIONS, 2)
        doc.add(f"{rng.choice(TIMES)}共编发{a}")
        n, m = rng.randrange(2, 40), rng.randrange(1, 12)
        doc.figure(f"{n}期", n, "期", None)
        doc.add(f"、{b}")
        doc.figure(f"{m}期", m, "期", None)
        doc.add("。")
    elif choice == 4:
        subject, kind, unit = rng.choice(WRITING)
        doc.add(f"在{rng.choice(['县级以上', '市级以上', '各级'])}媒体刊发")
        _count(rng, doc, subject, kind, unit)
        doc.add("，撰写")
        _count(rng, doc, *rng.choice(WRITING[:2]))
        doc.add("。")
    elif choice == 5:
        subject, kind, unit = rng.choice(OTHER)
        doc.add("发放")
        _count(rng, doc, subject, kind, unit, [30, 150, 600, 1200, 2000, 3500, 12000])
        rate = rng.randrange(800, 1000) / 10
        doc.add("，参学人员出勤率达到")
        doc.figure(f"{rate:g}%", rate, "%", "attendance")
        doc.add("。")
    else:
        doc.add(rng.choice(TRAPS))
    doc.add("\n")


def _filler() -> list[str]:
    """Sentences of the seeds without any numeral (simplified), to set the density of figures."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for sentence in re.split(r"(?<=[。；！？])", convert(path.read_text(encoding="utf-8"))):
            sentence = sentence.strip()
            if 12 <= len(sentence) <= 200 and not re.search(
                r"[0-9〇零一二两三四五六七八九十百千万亿]", sentence
            ):
                sentences.append(sentence)
    return sentences or ["坚持把意识形态工作摆在全局工作的重要位置，同业务工作一起部署。"]


def corpus(megabytes: float, seed: int) -> list[tuple[str, list]]:
    import opencc

    rng = random.Random(seed)
    filler = _filler()
    to_traditional = opencc.OpenCC("s2t").convert
    docs, size = [], 0
    while size < megabytes * 1_000_000:
        doc = Doc(pdf=rng.random() < 0.2)
        for _ in range(rng.randrange(12, 30)):
            _paragraph(rng, doc, filler)
        text = doc.text
        if rng.random() < 0.3:
            traditional = to_traditional(text)
            if len(traditional) == len(text):
                text = traditional
        docs.append((text, doc.labels))
        size += len(text.encode("utf-8"))
    return docs


# -- the two approaches ----------------------------------------------------------------------------


def ours(vocab):
    from taizhang.extract import extract

    def run(text: str):
        return [
            (f.start, f.end, float(f.value), f.unit, f.kind)
            for f in extract(text, vocab).figures
            if f.category not in ("date", "year")
        ]

    return run


def plain(vocab):
    """cn2an's whole-text transform, then one regex over the measure words: values and units only.

    It is given the same OpenCC conversion first, so that what it misses is its grammar's, not the
    script's."""
    import cn2an

    from taizhang.extract.script import simplified

    measures = sorted((m for m in vocab.measures), key=len, reverse=True)
    pattern = re.compile(r"(\d+(?:\.\d+)?)(万|亿)?(余|多)?(" + "|".join(map(re.escape, measures)) + ")")
    factor = {"万": 10_000, "亿": 100_000_000}

    def run(text: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            transformed = cn2an.transform(simplified(text), "cn2an")
        out = []
        for m in pattern.finditer(transformed):
            unit = m.group(4)
            value = float(m.group(1)) * factor.get(m.group(2) or "", 1)
            for big, f in factor.items():
                if unit.startswith(big) and len(unit) > 1:
                    unit, value = unit[1:], value * f
            # positions are those of the transformed text: no way back to the original
            out.append((m.start(), m.end(), value, unit, None))
        return out

    return run


def score(run, docs) -> dict:
    found = exact = subject = kinds = total = reported = 0
    for text, labels in docs:
        figures = run(text)
        reported += len(figures)
        pool = Counter((round(v, 2), u) for _, _, v, u, _ in figures)
        spans = {(s, e): k for s, e, _, _, k in figures}
        for start, end, value, unit, kind in labels:
            total += 1
            key = (round(value, 2), unit)
            if pool[key] > 0:
                pool[key] -= 1
                found += 1
            if (start, end) in spans:
                exact += 1
            if kind is not None:
                kinds += 1
                if spans.get((start, end)) == kind:
                    subject += 1
    return {
        "labelled_counts": total,
        "recall": round(found / total, 4) if total else None,
        "at_exact_position": round(exact / total, 4) if total else None,
        "kind_found": round(subject / kinds, 4) if kinds else None,
        "figures_reported": reported,
    }


def seed_docs() -> list[tuple[str, list]]:
    docs = []
    for prefix, counts in SEED_COUNTS.items():
        path = next(iter(sorted(SEEDS.glob(f"{prefix}*.txt"))), None)
        if path is None:
            continue
        text = path.read_text(encoding="utf-8")
        labels, taken = [], 0
        for context, written, value, unit, kind in counts:
            at = text.find(context, taken)
            assert at >= 0, context
            start = at + context.index(written)
            labels.append((start, start + len(written), value, unit, kind))
            taken = at + len(context)
        docs.append((text, labels))
    return docs


def speed(run, docs, limit_bytes: int | None = None) -> dict:
    chosen, size = [], 0
    for text, _ in docs:
        if limit_bytes and size >= limit_bytes:
            break
        chosen.append(text)
        size += len(text.encode("utf-8"))
    started = time.process_time()
    for text in chosen:
        run(text)
    seconds = time.process_time() - started
    return {
        "megabytes": round(size / 1e6, 2),
        "cpu_seconds": round(seconds, 3),
        "mb_per_s": round(size / 1e6 / seconds, 2),
    }


def false_positives(run) -> int:
    return sum(len(run(trap)) for trap in TRAPS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=8.0, help="size of the generated corpus")
    parser.add_argument(
        "--plain-megabytes", type=float, default=1.0, help="slice the plain approach is timed on"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django

    django.setup()  # the registry's record types: the same vocabulary as `taizhang extract`
    from taizhang.documents.drafts.queries import vocabulary

    vocab = vocabulary()
    docs = corpus(args.megabytes, args.seed)
    sample = docs[: max(1, len(docs) // 20)]
    seeds = seed_docs()
    approaches = {"taizhang.extract": ours(vocab), "cn2an + one regex": plain(vocab)}
    results = {}
    for name, run in approaches.items():
        limit = None if name == "taizhang.extract" else int(args.plain_megabytes * 1e6)
        results[name] = {
            "speed": speed(run, docs, limit),
            "generated_sample": score(run, sample),
            "seeds": score(run, seeds),
            "trap_sentences": len(TRAPS),
            "false_positives_on_traps": false_positives(run),
        }
    whole = "\n".join(text for text, _ in docs)
    started = time.process_time()
    approaches["taizhang.extract"](whole)
    one_text = len(whole.encode("utf-8")) / 1e6 / (time.process_time() - started)
    ours_speed = results["taizhang.extract"]["speed"]["mb_per_s"]
    out = {
        "corpus": {
            "documents": len(docs),
            "megabytes": round(sum(len(t.encode("utf-8")) for t, _ in docs) / 1e6, 2),
            "labelled_counts": sum(len(labels) for _, labels in docs),
            "seed": args.seed,
        },
        "results": results,
        "taizhang_extract_whole_corpus_as_one_text_mb_per_s": round(one_text, 2),
        "speedup_over_plain": round(ours_speed / results["cn2an + one regex"]["speed"]["mb_per_s"], 1),
        "target_mb_per_s": TARGET_MB_PER_S,
        "target_met": ours_speed >= TARGET_MB_PER_S,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "extract.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
