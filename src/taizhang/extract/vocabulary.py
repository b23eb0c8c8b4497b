"""The words the extractor reads numbers with, from data (pure: no Django).

``frameworks/extract.yaml`` holds the measure words, qualifiers, aliases, set phrases and lead words;
the activity kinds come from ``ideology.yaml`` and the record types from the registry, so a kind's
own Chinese name is declared once and every alias is only an addition. The regular expressions are
built here, once per vocabulary: the scanner never keeps a word list of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from taizhang.core.file_cache import kept_while_unchanged
from taizhang.core.framework_file import RULES_FILE, frameworks_dir
from taizhang.extract.numerals import CHINESE_NUMERAL_CHARS

EXTRACT_FILE = "extract.yaml"

# Clause boundaries: a figure's subject is looked for between the last of these and the number.
CLAUSE_MARKS = "，。；：！？、,;:!?\n\r（）()【】[]…—"
SENTENCE_MARKS = "。；！？;!?\n\r"
QUALIFIER_CLASSES = ("more", "at_least", "about", "nearly", "below", "total", "rule")


class VocabularyError(ValueError):
    """extract.yaml is not what its header describes; the message names the file and the section."""


@dataclass(frozen=True)
class Vocabulary:
    """Everything the scanner matches, compiled once."""

    measures: dict[str, str]  # measure word → money | percent | count
    qualifiers_before: dict[str, str]  # word → class, for words before the number
    qualifiers_after: dict[str, str]  # word → class, after the number or its measure word
    names: dict[str, str]  # simplified name or alias → kind code (activity kind or record type)
    kind_names: dict[str, str]  # kind code → its own Chinese name
    lead_words: tuple[str, ...]
    time_words: tuple[str, ...]
    link_words: tuple[str, ...]
    set_phrases: tuple[str, ...]
    ordinal_after: tuple[str, ...]
    sub_unit_words: tuple[str, ...]
    patterns: dict[str, re.Pattern] = field(default_factory=dict, compare=False, repr=False)
    # ``kind_names`` as one text (names joined by line breaks) and where each name begins there:
    # which names hold a word is then one scan of that text (``kinds_naming``; ``word in names_text``
    # when only whether any does).
    names_text: str = field(default="", compare=False, repr=False)
    _names_at: tuple[int, ...] = field(default=(), compare=False, repr=False)
    _names_codes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # every character of the set phrases, and their first characters: a phrase overlapping a figure
    # either covers its first character or starts inside it (``_Scanner._in_set_phrase``)
    phrase_chars: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    phrase_starts: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # the last characters of the qualifiers before a number, and of the time and link words: a
    # clause ending in none of them ends in no such word (no search of the clause)
    qualifier_ends: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    trailing_ends: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        starts, at = [], 0
        for name in self.kind_names.values():
            starts.append(at)
            at += len(name) + 1
        object.__setattr__(self, "names_text", "\n".join(self.kind_names.values()))
        object.__setattr__(self, "_names_at", tuple(starts))
        object.__setattr__(self, "_names_codes", tuple(self.kind_names))
        object.__setattr__(self, "phrase_chars", frozenset("".join(self.set_phrases)))
        object.__setattr__(self, "phrase_starts", frozenset(w[0] for w in self.set_phrases))
        object.__setattr__(self, "qualifier_ends", frozenset(w[-1] for w in self.qualifiers_before))
        object.__setattr__(
            self, "trailing_ends", frozenset(w[-1] for w in (*self.time_words, *self.link_words))
        )

    def kinds_naming(self, word: str) -> list[str]:
        """The codes whose own name contains ``word``, in ``kind_names``' order."""
        text = self.names_text
        found = text.find(word)
        if found < 0:
            return []
        if not word or "\n" in word:
            return [code for code, name in self.kind_names.items() if word in name]
        codes, starts = self._names_codes, self._names_at
        out = []
        while found >= 0:
            index = bisect_right(starts, found) - 1
            out.append(codes[index])
            if index + 1 == len(starts):
                break
            found = text.find(word, starts[index + 1])
        return out

    def siblings(self, kind: str) -> set[str]:
        """Codes that share a name with ``kind`` (志愿服务: the activity kind and the record type)."""
        named = {name for name, code in self.names.items() if code == kind}
        named.add(self.kind_names.get(kind, ""))
        out = {kind}
        for code, name in self.kind_names.items():
            if name in named:
                out.add(code)
        return out


def load_vocabulary(
    directory: Path | str | None = None,
    *,
    record_types: Mapping[str, str] | Iterable[tuple[str, str]] = (),
) -> Vocabulary:
    """The vocabulary from ``directory`` (extract.yaml and ideology.yaml's activity kinds) and the
    record types ``code → Chinese name`` the caller knows (the registry's, on the Django side)."""
    directory = Path(directory) if directory is not None else frameworks_dir()
    types = tuple(sorted(dict(record_types).items()))
    return _load(str(directory), types)


@kept_while_unchanged(
    files=lambda directory, _types: (Path(directory) / EXTRACT_FILE, Path(directory) / RULES_FILE), maxsize=8
)
def _load(directory: str, record_types: tuple[tuple[str, str], ...]) -> Vocabulary:
    data = _read(Path(directory) / EXTRACT_FILE)
    rules = _read(Path(directory) / RULES_FILE, required=False)
    kinds = {
        str(row.get("code")): str(row.get("name"))
        for row in rules.get("activity_kinds") or []
        if isinstance(row, dict) and row.get("code") and row.get("name")
    }
    return build_vocabulary(
        data, kinds=kinds, record_types=dict(record_types), source=f"{directory}/{EXTRACT_FILE}"
    )


def _read(path: Path, *, required: bool = True) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise VocabularyError(f"找不到词表文件“{path}”")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: 无法读取：{exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: 顶层应为映射（键: 值）")
    return data


def _words(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise VocabularyError(f"{where} 应为词语列表")
    return [str(v).strip() for v in value if str(v).strip()]


def build_vocabulary(
    data: Mapping[str, Any],
    *,
    kinds: Mapping[str, str],
    record_types: Mapping[str, str] | None = None,
    source: str = EXTRACT_FILE,
) -> Vocabulary:
    """Check the data, then compile the patterns (see ``extract.yaml``'s header for the sections)."""
    measures: dict[str, str] = {}
    groups = data.get("measures") or {}
    if not isinstance(groups, dict) or not groups:
        raise VocabularyError(f"{source}: measures 应为 money/percent/count 三组量词")
    for group, words in groups.items():
        if group not in ("money", "percent", "count"):
            raise VocabularyError(f"{source}: measures 下的“{group}”不是 money、percent 或 count")
        for word in _words(words, f"{source}: measures.{group}"):
            measures.setdefault(word, group)

    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for klass, sides in (data.get("qualifiers") or {}).items():
        if klass not in QUALIFIER_CLASSES:
            raise VocabularyError(
                f"{source}: qualifiers 下的“{klass}”应为 {'、'.join(QUALIFIER_CLASSES)} 之一"
            )
        for side, words in (sides or {}).items():
            if side not in ("before", "after"):
                raise VocabularyError(f"{source}: qualifiers.{klass} 下应为 before 或 after")
            target = before if side == "before" else after
            for word in _words(words, f"{source}: qualifiers.{klass}.{side}"):
                target.setdefault(word, klass)

    # Names: the kinds' and record types' own names first (activity kinds win a shared name), then
    # the aliases in the order the file lists them.
    record_types = record_types or {}
    kind_names = {**record_types, **kinds}
    names: dict[str, str] = {}
    for code, name in kinds.items():
        names.setdefault(name, code)
    for code, name in record_types.items():
        names.setdefault(name, code)
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise VocabularyError(f"{source}: aliases 应为“代码: [别名…]”的映射")
    for code, words in aliases.items():
        for word in _words(words, f"{source}: aliases.{code}"):
            names.setdefault(word, str(code))
        kind_names.setdefault(str(code), (_words(words, "") or [str(code)])[0])

    vocab = Vocabulary(
        measures=measures,
        qualifiers_before=before,
        qualifiers_after=after,
        names=names,
        kind_names=kind_names,
        lead_words=tuple(_words(data.get("lead_words"), f"{source}: lead_words")),
        time_words=tuple(_words(data.get("time_words"), f"{source}: time_words")),
        link_words=tuple(_words(data.get("link_words"), f"{source}: link_words")),
        set_phrases=tuple(_words(data.get("set_phrases"), f"{source}: set_phrases")),
        ordinal_after=tuple(_words(data.get("ordinal_after"), f"{source}: ordinal_after")),
        sub_unit_words=tuple(_words(data.get("sub_unit_words"), f"{source}: sub_unit_words")),
    )
    not_measures = _words(data.get("not_measures"), f"{source}: not_measures")
    vocab.patterns.update(_compile(vocab, not_measures))
    return vocab


def _alternation(words: Iterable[str], *, trie: bool = False) -> str:
    """The longest of ``words`` at a position (so 共计 wins over 共); a pattern that never matches
    when there are none.

    ``trie``: written as a trie (共(?:计|)|累计…). Python's engine tries an alternation's branches
    one by one wherever a branch's first character stands, so a flat list of 150 names costs up to
    150 tests there; the trie costs one test per distinct first character. It matches what the
    flat alternation did (at each position the longest word there; a pattern anchored after it
    still backtracks to a shorter one). For a short list anchored at the end (``before_q``) the
    flat list is the faster, the engine's own first-character check doing the work.
    """
    if not trie:
        return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) or "(?!)"
    root = _trie(words)
    return _trie_pattern(root) if root else "(?!)"


def _trie(words: Iterable[str]) -> dict:
    """The words as nested dicts, one level a character; the key "" marks where a word ends."""
    root: dict = {}
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = None
    return root


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    leaves, branches = [], []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        if list(child) == [""]:
            leaves.append(ch)
        else:
            branches.append(re.escape(ch) + _trie_pattern(child))
    if leaves:  # words ending one character further: one character class (the branches' first
        # characters differ from theirs, so the order of the alternatives does not matter)
        branches.append(re.escape(leaves[0]) if len(leaves) == 1 else f"[{''.join(map(re.escape, leaves))}]")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends:
        # greedy: the longer word first, the word ending here when nothing longer matches
        # (an empty branch rather than ``?``, which Python's engine runs as a slower repeat)
        return f"(?:{'|'.join(branches)}|)"
    return body


def _measure_alternation(measures: Iterable[str], not_measures: list[str]) -> str:
    """Longest first; a measure word followed by what makes it another word (期 + 间) does not match.

    Written as a trie behind a check of its first characters: it is tried after every number the
    text holds, and most numbers (一是, 进一步, a year) have no measure word after them, which the
    check rejects at once instead of testing 150 words one by one. The words that match at a
    position are prefixes of one another, and the trie tries them longest first, as the flat list
    did, each with its guard."""
    root = _trie(measures)

    def guard(word: str) -> str:
        tails = [n[len(word) :] for n in not_measures if n.startswith(word) and len(n) > len(word)]
        return f"(?!{_alternation(tails)})" if tails else ""

    def branch(node: dict, word: str) -> str:
        parts = [re.escape(ch) + branch(node[ch], word + ch) for ch in sorted(k for k in node if k)]
        if "" in node:
            parts.append(guard(word))  # the word itself, after every longer one
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"

    if not root:
        return ""  # as the flat list of no words was
    return f"(?=[{re.escape(''.join(sorted(root)))}]){branch(root, '')}"


def _compile(vocab: Vocabulary, not_measures: list[str]) -> dict[str, re.Pattern]:
    cn = re.escape(CHINESE_NUMERAL_CHARS)
    cn_digits = "〇零一二三四五六七八九"
    small = "一二三四五六七八九十"
    measure = _measure_alternation(vocab.measures, not_measures)
    blank_measure = _measure_alternation(
        (m for m, g in vocab.measures.items() if g != "percent"), not_measures
    )
    gap = r"[ \t\u3000\xa0]"
    arabic = r"(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,13})(?:\.[0-9]{1,6})?"
    after = _alternation(vocab.qualifiers_after)
    # what makes the number before a measure word a name (十九届中央, 二等奖): noted by the match
    ordinal = _alternation(vocab.ordinal_after)
    figure = rf"""
    (?P<date>
        (?P<y>(?<![0-9.])(?:1[89]|2[01])[0-9]{{2}}(?![0-9])|(?<![{cn}])[{cn_digits}○]{{4}})
        (?:
            {gap}*年(?![级代龄轻])
            (?:{gap}*(?P<m>[0-9]{{1,2}}|[{small}]{{1,3}}){gap}*月
               (?:{gap}*(?P<d>[0-9]{{1,2}}|[{small}]{{1,3}}){gap}*[日号])?)?
          | [-/.](?P<m2>[0-9]{{1,2}})[-/.](?P<d2>[0-9]{{1,2}})(?![0-9])
        )
    )
    |(?P<md>
        (?P<m3>(?<![0-9.])[0-9]{{1,2}}|(?<![{cn}])[{small}]{{1,3}}){gap}*月
        (?:{gap}*(?P<d3>[0-9]{{1,2}}|[{small}]{{1,3}}){gap}*[日号])?
    )
    |(?P<pct>(?P<pbase>百|千)分之(?P<pnum>[0-9]{{1,6}}(?:\.[0-9]{{1,6}})?|[{cn}]{{1,8}}(?:点[{cn_digits}]{{1,6}})?))
    |(?P<fig>
        (?:(?P<ar>{arabic})(?P<armul>[十百千]?[万亿]?)|(?<![{cn}])(?P<cn>[{cn}]{{1,12}}(?:点[{cn_digits}]{{1,6}})?))
        (?P<mid>余|多|来)?(?P<mul>[十百千]?[万亿])?(?P<post>余|多)?
        {gap}*(?P<unit>{measure})
        (?:(?=(?P<ordinal>{ordinal})))?
        (?P<after>{after})?
    )
    |(?P<blank>
        (?<=[\u4e00-\u9fff》”])
        (?:(?P<space>{gap}+)(?P<sunit>{blank_measure})(?=[，。；、：,.;:！!？?）)】」”"]|{gap}*(?:\r?\n|$))
          |(?P<mark>_{{2,}}|＿+|[Xx]{{2,3}}|×{{1,3}}|＊{{1,3}}|\*{{2,3}}|（{gap}*）|\({gap}*\)|□+|○{{2,}})(?P<munit>{blank_measure})
          |(?<![今去明前后每全当上下新半历常少中晚早往同该本近多青老成周童拜过跨整元壮幼长])(?P<yspace>{gap}+)年(?![级代龄轻前])
        )
    )
    """
    # Every alternative starts with one of these characters: tested first, the engine skips the rest
    # of the text at C speed (without it every position tries every alternative: 7× slower).
    first = re.escape(f"0123456789{CHINESE_NUMERAL_CHARS}○_＿Xx×＊*（(□ \t\u3000\xa0")
    compiled = {
        "figure": re.compile(f"(?=[{first}])(?:{figure})", re.VERBOSE),
        # (one group: ``split`` then hands a clause's names out with the text between them)
        "names": re.compile(f"({_alternation(vocab.names, trie=True)})"),
        # Opening words of a clause, and qualifiers that open one (每年, 共), one after another from a
        # clause's start (今年以来共开展): the longest word at each step, as the trie matches it.
        "lead": re.compile(
            f"(?:{_alternation([*vocab.time_words, *vocab.lead_words, *vocab.qualifiers_before], trie=True)})*+"
        ),
        "trailing": re.compile(f"(?:{_alternation([*vocab.time_words, *vocab.link_words])})$"),
        "set_phrases": re.compile(_alternation(vocab.set_phrases, trie=True)),
        "clause_end": re.compile(rf"[{re.escape(CLAUSE_MARKS)}]"),
        "sentence_mark": re.compile(rf"[{re.escape(SENTENCE_MARKS)}]"),
        # the text up to the last clause mark (matched between a window's start and a figure)
        "clause_start": re.compile(rf".*[{re.escape(CLAUSE_MARKS)}]", re.DOTALL),
        "ordinal_after": re.compile(_alternation(vocab.ordinal_after)),
        "rule_total": re.compile(
            _alternation(w for w, k in vocab.qualifiers_before.items() if k in ("rule", "total"))
        ),
        "before_q": re.compile(f"(?:{_alternation(vocab.qualifiers_before)})$"),
    }
    return compiled
