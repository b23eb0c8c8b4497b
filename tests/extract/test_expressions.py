"""Fixed expressions written wrongly are flagged with where they stand and the canonical form."""

from __future__ import annotations

from taizhang.extract.expressions import build_factcheck, load_factcheck


def test_wrong_numerals_missing_characters_and_listed_variants():
    text = "增强4个意识，做到二个维护，学习习近平新时代中国特社会主义思想，两手抓、两手都要硬。"
    found = [(m.text, m.canonical) for m in load_factcheck().misworded(text)]
    assert found == [
        ("4个意识", "四个意识"),
        ("二个维护", "两个维护"),
        ("习近平新时代中国特社会主义思想", "习近平新时代中国特色社会主义思想"),
    ]


def test_school_seed_two_hands(seed_texts):
    """The school template writes 两手两手硬 for 两手抓、两手都要硬."""
    text = next(t for name, t in seed_texts.items() if name.startswith("002_"))
    (found,) = load_factcheck().misworded(text)
    assert (found.text, found.canonical) == ("两手两手硬", "两手抓、两手都要硬")
    assert text[found.start : found.end] == "两手两手硬"


def test_correct_forms_and_traditional_script(seed_texts):
    """The CPPCC seed writes its expressions right, in traditional script: nothing to flag."""
    text = next(t for name, t in seed_texts.items() if name.startswith("000_"))
    assert load_factcheck().misworded(text) == []
    (found,) = load_factcheck().misworded("做到“兩個維護”，增強“4個意識”")
    assert (found.text, found.canonical) == ("4個意識", "四个意识")


def test_the_list_is_data():
    data = build_factcheck({"expressions": [{"canonical": "三审三校", "wrong": ["三审三较"]}]})
    assert [(m.text, m.canonical) for m in data.misworded("落实三审三较制度")] == [("三审三较", "三审三校")]
