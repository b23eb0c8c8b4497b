"""Fixed expressions written wrongly (提法错误), from ``frameworks/factcheck.yaml`` (pure: no Django).

A draft that writes 二个维护, 4个意识, 两手两手硬 or 习近平新时代中国特社会主义思想 is flagged with
the position of what it wrote and the canonical form. The wrong forms are the file's list plus
those derived from each canonical form: its numerals written another way, and (for longer forms)
one character missing inside it. Matching is done on the simplified text, positions refer to the
text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from taizhang.core.file_cache import kept_while_unchanged
from taizhang.core.framework_file import frameworks_dir
from taizhang.extract.numerals import CHINESE_NUMERAL_CHARS, chinese_integer
from taizhang.extract.script import simplified
from taizhang.extract.vocabulary import VocabularyError

FACTCHECK_FILE = "factcheck.yaml"
_KEEP = "、，。；：“”‘’《》（）和与及的"  # never the missing character: punctuation, particles


@dataclass(frozen=True)
class Misworded:
    text: str  # as the draft wrote it
    start: int
    end: int
    canonical: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "canonical": self.canonical}


@dataclass(frozen=True)
class FactcheckData:
    """The fixed expressions (compiled) and the measure-word groups of factcheck.yaml."""

    wrong: dict[str, str]  # wrong form → canonical form
    canonical_re: re.Pattern
    wrong_re: re.Pattern
    unit_groups: tuple[frozenset[str], ...]

    def misworded(self, text: str) -> list[Misworded]:
        """Every wrong form in ``text`` that is not part of a correct one, in reading order."""
        plain = simplified(text)
        correct = [m.span() for m in self.canonical_re.finditer(plain)]
        out = []
        for m in self.wrong_re.finditer(plain):
            s, e = m.span()
            if any(cs <= s and e <= ce for cs, ce in correct):
                continue
            out.append(Misworded(text[s:e], s, e, self.wrong[m.group()]))
        return out

    def same_measure(self, a: str, b: str) -> bool:
        """Two measure words that count the same things (个 and 个阵地, 篇 and 条)."""
        if not a or not b:
            return False
        if a == b or a.startswith(b) or b.startswith(a):
            return True
        return any(a in group and b in group for group in self.unit_groups)


def load_factcheck(directory: Path | str | None = None) -> FactcheckData:
    path = Path(directory if directory is not None else frameworks_dir()) / FACTCHECK_FILE
    return _load(str(path))


@kept_while_unchanged(files=lambda path: (path,), maxsize=4)
def _load(path: str) -> FactcheckData:
    data: dict[str, Any] = {}
    if Path(path).exists():
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise VocabularyError(f"{path}: 无法读取：{exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: 顶层应为映射（键: 值）")
    return build_factcheck(data, source=path)


def build_factcheck(data: dict[str, Any], *, source: str = FACTCHECK_FILE) -> FactcheckData:
    shortest = data.get("missing_char_from", 6)
    if not isinstance(shortest, int) or shortest < 3:
        raise VocabularyError(f"{source}: missing_char_from 应为不小于 3 的整数")
    canonical: list[str] = []
    wrong: dict[str, str] = {}
    for i, entry in enumerate(data.get("expressions") or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("canonical"), str):
            raise VocabularyError(f"{source}: expressions 第 {i} 项应有 canonical（规范提法）")
        form = entry["canonical"].strip()
        listed = entry.get("wrong") or []
        if not isinstance(listed, list):
            raise VocabularyError(f"{source}: expressions 第 {i} 项的 wrong 应为列表")
        canonical.append(form)
        for variant in [*map(str, listed), *_numeral_variants(form), *_missing_one(form, shortest)]:
            variant = variant.strip()
            if variant and variant != form:
                wrong.setdefault(variant, form)
    for form in canonical:  # a form that is canonical in one entry is never wrong in another
        wrong.pop(form, None)
    groups = []
    for group in data.get("unit_groups") or []:
        if not isinstance(group, list):
            raise VocabularyError(f"{source}: unit_groups 的每一项应为量词列表")
        groups.append(frozenset(str(w) for w in group))
    return FactcheckData(
        wrong=wrong,
        canonical_re=_alternation(canonical),
        wrong_re=_alternation(wrong),
        unit_groups=tuple(groups),
    )


def _alternation(words) -> re.Pattern:
    words = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")


def _numeral_variants(form: str) -> list[str]:
    """四个意识 → 4个意识; 两个维护 → 二个维护, 2个维护."""
    out = []
    for run in re.finditer(f"[{re.escape(CHINESE_NUMERAL_CHARS)}]+", form):
        value = chinese_integer(run.group())
        if value is None:
            continue
        replacements = {str(value)}
        if "两" in run.group():
            replacements.add(run.group().replace("两", "二"))
        if "二" in run.group() and len(run.group()) == 1:
            replacements.add("两")
        for replacement in replacements:
            out.append(form[: run.start()] + replacement + form[run.end() :])
    return out


def _missing_one(form: str, shortest: int) -> list[str]:
    """One character missing inside a long form (never the first or last, nor punctuation or a particle)."""
    if len(form) < shortest:
        return []
    return [form[:i] + form[i + 1 :] for i in range(1, len(form) - 1) if form[i] not in _KEEP]
