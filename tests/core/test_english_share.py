"""English is English: on the English matrix, unit page and activity list, what is left in Chinese
once the names of units and people and what clerks typed are taken out is under a tenth of the text.

The share is counted on the text a reader sees (tags, scripts and styles left out), in characters
other than spaces, after removing every unit's name and short name, every person's name and every
activity's typed fields (topic, place, materials, minutes): a person's own words stay as written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from taizhang.ledger.models import Activity
from taizhang.org.models import Person, Unit

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LIMIT = 0.10


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _Visible()
    reader.feed(html)
    return "\n".join(reader.parts)


def peoples_words() -> list[str]:
    """Names of units and people and what clerks typed, longest first (a name inside a longer one is
    removed with it)."""
    words: set[str] = set()
    for name, short in Unit.objects.values_list("name", "short_name"):
        words.update(w for w in (name, short) if w)
    words.update(Person.objects.values_list("name", flat=True))
    for fields in Activity.objects.values_list("topic", "location", "materials", "minutes"):
        for value in fields:
            words.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(words, key=len, reverse=True)


def chinese_share(html: str, words: list[str]) -> tuple[float, str]:
    """The share of Han characters in the visible text once ``words`` are removed, and what is left."""
    text = visible_text(html)
    for word in words:
        if word in text:
            text = text.replace(word, " ")
    chars = [c for c in text if not c.isspace()]
    han = [c for c in chars if HAN.match(c)]
    return (len(han) / len(chars) if chars else 0.0), "".join(HAN_RUNS.findall(text))


HAN_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+[^\u3400-\u4dbf\u4e00-\u9fff]{0,1}")

PAGES = {
    "matrix": "/rules/?unit=cppcc&period=2020H1",
    "unit page": "/org/units/cppcc/?period=2020H1",
    "activity list": "/ledger/activities/?unit=cppcc&period=2020H1",
}


@pytest.mark.parametrize("name", PAGES)
def test_an_english_page_is_under_a_tenth_chinese_beside_peoples_own_words(cppcc_clerk, name):
    cppcc_clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = cppcc_clerk.get(PAGES[name])
    assert page.status_code == 200
    share, left = chinese_share(page.content.decode(), peoples_words())
    print(f"{name}: {share:.1%} Chinese; left: {left[:300]}")
    assert share < LIMIT, f"{name}: {share:.1%} Chinese: {left[:500]}"


def test_the_measure_sees_chinese_where_there_is_some():
    share, _ = chinese_share("<p>要求落实情况 Requirements</p><script>var a='中文';</script>", [])
    assert 0.3 < share < 0.5
    assert chinese_share("<p>县政协机关 Unit</p>", ["县政协机关"])[0] == 0.0
