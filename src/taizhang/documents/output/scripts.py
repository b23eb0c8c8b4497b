"""Simplified → traditional script with OpenCC, applied to the finished document text.

Documents are written once in simplified Chinese; the CPPCC seed's readers expect traditional
script, so conversion happens last, over every visible string, never in the phrasings themselves.

Which traditional: the seed follows the Hong Kong standard (為, 核, 着, 羣), which OpenCC's ``s2hk``
reproduces (a round trip of the seed through simplified gives back all of its characters but one
place name); ``s2t`` (OpenCC's own standard: 爲, 覈) and ``s2tw`` (Taiwan: 著, 群) are choices.
Names listed in ``frameworks/protected_words.txt`` are never converted (谷城 stays 谷城), nor are the
names of people and places the document's unit tree knows (``names_for``): a person's name is
written as registered (董丽杰, not OpenCC's 董麗傑; 余 the surname, not 餘), a place as its unit tree
names it (谷城县 → 谷城). The caller passes them; the pattern built from them is kept per set of
words, so a batch of one organisation's documents builds it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy

from taizhang.core.file_cache import kept_while_unchanged
from taizhang.documents.output.model import Document

SIMPLIFIED = "simplified"
PROTECTED_WORDS_FILE = "protected_words.txt"


@dataclass(frozen=True)
class Script:
    """One output script: its OpenCC configuration, the name people choose it by, its language tag."""

    code: str
    opencc: str | None  # None: the text is already in this script
    label: str  # what a file name and the form say: （繁体）
    choice: str  # the longer name in the web form's list (lazy: in the page's language)
    lang: str  # w:lang eastAsia of the .docx; fonts are chosen by it too (fonts/fonts.conf)


SCRIPTS: dict[str, Script] = {
    s.code: s
    for s in (
        Script(SIMPLIFIED, None, "简体", gettext_lazy("简体"), "zh-CN"),
        Script("traditional", "s2hk", "繁体", gettext_lazy("繁体（与原件一致，香港用字）"), "zh-HK"),
        Script("traditional-tw", "s2tw", "繁体台湾", gettext_lazy("繁体（台湾用字）"), "zh-TW"),
        # OpenCC's standard traditional has no region; its inherited glyph forms are Taiwan's closest.
        Script("traditional-cn", "s2t", "繁体标准", gettext_lazy("繁体（OpenCC 标准字形）"), "zh-TW"),
    )
}


def script_of(code: str) -> Script:
    """The script named ``code``; KeyError names the choices for the caller's message."""
    return SCRIPTS[code]


def choices_text() -> str:
    return "、".join(SCRIPTS)


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc  # the official binding; loading its dictionaries costs ~50 ms, so once per process

    return opencc.OpenCC(config)


def protected_words(directory: Path | None = None) -> tuple[str, ...]:
    """The words of ``protected_words.txt`` in the frameworks directory, longest first."""
    if directory is None:
        from django.conf import settings

        directory = settings.FRAMEWORKS_DIR
    return _read_words(Path(directory) / PROTECTED_WORDS_FILE)


@kept_while_unchanged(files=lambda path: (path,), maxsize=8)
def _read_words_cached(path: Path) -> tuple[str, ...]:
    words = {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _read_words(path: Path) -> tuple[str, ...]:
    # Keyed by modification time: an edited file applies to the next document, as the header says.
    try:
        return _read_words_cached(path)
    except FileNotFoundError:
        return ()


# A place name leads a unit's name, before its administrative word: 清源县, 城关镇机关党支部, 湖北省谷城县….
# 区 alone is read as a place only in a region's own name (开发区, 园区 are not places' names).
_PLACE = re.compile(
    r"(?:中共)?([\u4e00-\u9fff]{2,4}?)(特别行政区|自治区|自治州|自治县|街道|社区|省|市|州|盟|县|区|旗|镇|乡|村)"
)


def place_names(name: str, *, region: bool = False) -> list[str]:
    """The place names leading a unit's name: 湖北省谷城县委 → [湖北, 谷城]; 县委宣传部 → [] (no place)."""
    places, at = [], 0
    while (found := _PLACE.match(name, at)) and (found[2] != "区" or region):
        places.append(found[1])
        at = found.end()
    return places


@dataclass(frozen=True)
class ProperNames:
    """Names a document may write that conversion leaves as written: its people's and places'."""

    people: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *, people: Iterable[str] = (), units: Iterable[tuple[str, bool]] = ()) -> ProperNames:
        """From people's names and (unit name or short name, is a region) pairs."""
        return cls(
            frozenset(name.strip() for name in people if len(name.strip()) >= 2),
            frozenset(place for name, region in units for place in place_names(name, region=region)),
        )

    def words(self) -> frozenset[str]:
        return self.people | self.places


def names_for(unit) -> ProperNames:
    """The people and places a document of ``unit`` may name: its organisation's people, the places
    in the names of the units above it (its county) and of its organisation's units."""
    from taizhang.org.models import Unit, UnitKind
    from taizhang.org.queries import organisation_of, organisation_people

    top = organisation_of(unit)
    units = Unit.objects.filter(pk__in=unit.ancestor_ids) | Unit.objects.filter(path__startswith=top.path)
    rows = units.values_list("name", "short_name", "kind")
    return ProperNames.of(
        people=organisation_people(unit).values_list("name", flat=True),
        units=[(name, kind == UnitKind.REGION) for *names, kind in rows for name in names if name],
    )


@lru_cache(maxsize=32)
def _protecting(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


def convert(
    text: str, script: str, *, protected: tuple[str, ...] | None = None, names: ProperNames | None = None
) -> str:
    """``text`` in ``script``: converted around the protected words and ``names``, kept as written."""
    config = SCRIPTS[script].opencc
    if config is None or not text:
        return text
    words = protected_words() if protected is None else protected
    if names is not None:
        words = tuple(sorted(set(words) | names.words(), key=lambda w: (-len(w), w)))
    converter = _converter(config)
    if not words:
        return converter.convert(text)
    pattern = _protecting(words)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [converter.convert(text[last : match.start()]), match.group()]
        last = match.end()
    out.append(converter.convert(text[last:]))
    return "".join(out)


def to_traditional(text: str) -> str:
    return convert(text, "traditional")


def in_script(doc: Document, script: str, *, unit=None, names: ProperNames | None = None) -> Document:
    """The document in ``script`` (one of ``SCRIPTS``), remembering the script for the renderers.

    ``names`` are kept as written beside the protected words' file; given the document's ``unit``
    instead, they are read from its tree (``names_for``), only when the script converts.
    """
    if SCRIPTS[script].opencc is None:
        return doc
    if names is None and unit is not None:
        names = names_for(unit)
    words = protected_words()
    if names is not None:
        words = tuple(sorted(set(words) | names.words(), key=lambda w: (-len(w), w)))
    converted = doc.map_text(lambda text: convert(text, script, protected=words))
    return replace(converted, script=script)


def file_name(stem: str, script: str, fmt: str) -> str:
    """A download's name says its script: 《…总结（繁体）.docx》; simplified, the default, says nothing."""
    if script == SIMPLIFIED:
        return f"{stem}.{fmt}"
    return f"{stem}（{SCRIPTS[script].label}）.{fmt}"
