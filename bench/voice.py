"""The county's summaries read side by side (issue 18): each unit in its own voice, the year as a year.

    DATABASE_URL=... python bench/voice.py [--load] [--out DIR]

Writes the 2020 summary of every unit under 清源县, CPPCC 2020H1 and 2020 and the school's 2020
(as Markdown in --out when given) and measures what the issue asks: the Chinese characters of each
(and in how many areas the unit has records), the sentences of twelve or more characters (digits
aside) that stand in more than three of the twelve county summaries plus CPPCC 2020H1 (stock
sentences listed in profiles.yaml aside), units sharing one list of section headings, and the share
of CPPCC 2020's sentences that CPPCC 2020H1 also has. Results: bench/results/voice.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="(re)load the demo first")
    parser.add_argument("--out", type=Path, help="write each summary as Markdown here")
    args = parser.parse_args()

    import django

    django.setup()
    from taizhang import demo
    from taizhang.core.periods import Period
    from taizhang.demo.county import UNITS
    from taizhang.documents.output.model import to_markdown
    from taizhang.documents.summary import build_summary
    from taizhang.documents.summary.facts import load_profiles, summary_facts
    from taizhang.documents.summary.reading import chinese, headings, overlap, shared
    from taizhang.org.models import Unit

    if args.load:
        demo.load(reset=True)
    year, half = Period.parse("2020"), Period.parse("2020H1")
    docs, areas = {}, {}
    for code, *_ in UNITS:
        facts = summary_facts(unit=Unit.objects.get(code=code), period=year, written_on=date(2021, 1, 5))
        docs[code] = build_summary(facts)
        areas[code] = _areas(facts)
    extra = {}
    for code, period in (("cppcc", half), ("cppcc", year), ("school", year)):
        unit = Unit.objects.get(code=code)
        extra[f"{code}-{period.code}"] = build_summary(summary_facts(unit=unit, period=period))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, doc in {**docs, **extra}.items():
            (args.out / f"{name}.md").write_text(to_markdown(doc), encoding="utf-8")

    county = {**docs, "cppcc-2020H1": extra["cppcc-2020H1"]}
    repeated = shared(county, 3, load_profiles().get("stock") or [])
    lists: dict[tuple, list[str]] = {}
    for code, doc in docs.items():
        lists.setdefault(tuple(headings(doc)), []).append(code)
    result = {
        "units": {
            code: {"chinese": chinese(doc.text), "areas": areas[code], "headings": headings(doc)}
            for code, doc in docs.items()
        },
        "short_of_1500": [c for c, d in docs.items() if areas[c] >= 4 and chinese(d.text) < 1500],
        "repeated_sentences": repeated,
        "same_headings": [codes for codes in lists.values() if len(codes) > 1],
        "cppcc_2020H1_chinese": chinese(extra["cppcc-2020H1"].text),
        "cppcc_2020_chinese": chinese(extra["cppcc-2020"].text),
        "school_2020_chinese": chinese(extra["school-2020"].text),
        "cppcc_2020_shares_with_2020H1": round(overlap(extra["cppcc-2020"], extra["cppcc-2020H1"]), 3),
    }
    out = HERE / "results" / "voice.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for code, row in result["units"].items():
        print(f"{code:26} {row['chinese']:5} 字  {row['areas']} 个方面  {' / '.join(row['headings'])}")
    print(f"不足1500字（有4个方面以上记录）：{result['short_of_1500']}")
    print(f"在3篇以上出现的句子：{len(repeated)}")
    for s, names in list(repeated.items())[:40]:
        print(f"  {len(names)} {s}")
    print(f"标题相同的单位：{result['same_headings']}")
    for key in (
        "cppcc_2020H1_chinese",
        "cppcc_2020_chinese",
        "school_2020_chinese",
        "cppcc_2020_shares_with_2020H1",
    ):
        print(f"{key}: {result[key]}")
    return 0


def _areas(facts) -> int:
    """In how many of the framework's areas the unit has records in the period."""
    found = {facts.kinds.get(a.kind, ("", ""))[1] for a in facts.records.get("activities", ())}
    for code, area in facts.phrases.get("record_areas", {}).items():
        if facts.records.get(code):
            found.add(area)
    return len(found - {""})


if __name__ == "__main__":
    raise SystemExit(main())
