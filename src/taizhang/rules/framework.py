"""Reading and validating a framework file's ``requirements:`` (pure: no Django).

The whole file is checked before anything is stored, and every problem is reported as
``file:line: what is wrong`` so a clerk editing the YAML by hand can go straight to the line.
Line numbers come from PyYAML's composed node tree (the plain loader forgets them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from taizhang.core.periods import KINDS
from taizhang.core.registry import checked, countable, record_type
from taizhang.rules.engine import MEASURES

UNIT_KINDS = ("region", "organ", "party_group", "branch", "office", "cell")
POSTS = ("secretary", "leader_in_charge", "office_director", "designated_officer", "member")
# The largest figures a rule may ask for: a count per period beyond any unit's year, or a percentage.
# A number past them is a typo (1e32), and would print as nonsense on the score sheet.
MAX_COUNT = 10_000
MAX_PERCENT = 100
MAX_POINTS = 1_000
# A framework file is a few dozen kilobytes (ideology.yaml: 16 KB, about 2,500 YAML nodes). Aliases
# (``*name``) are YAML's, and a chain of them expands exponentially (billion laughs) the moment the
# value is used; the expanded tree is measured before anything uses it.
MAX_NODES = 200_000
MAX_DEPTH = 50
_DUE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class ParsedFramework:
    name: str
    version: int
    requirements: list[dict[str, Any]]
    errors: list[str]
    name_en: str = ""


class FrameworkInvalid(ValueError):
    """A framework file with problems; ``errors`` lists every one as ``file:line: message``."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _value(node: yaml.Node) -> Any:
    """The node's value, constructed as ``yaml.safe_load`` would (an empty ``title:`` is None).

    Built from the node itself: serialising it back to text and reading that failed on an empty
    scalar (a ParserError, a traceback, for a clerk who left a field blank)."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def parse_framework(path: Path, *, known_kinds: set[str] | None = None) -> ParsedFramework:
    """Parse and validate; ``known_kinds`` adds kinds already in the database to the file's own."""
    name = str(path)
    errors: list[str] = []

    def err(node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        errors.append(f"{name}:{line}: {message}")

    def failed(line: int, message: str) -> ParsedFramework:
        return ParsedFramework("", 0, [], [f"{name}:{line}: {message}"])

    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
        root = yaml.compose(text)
    except OSError as exc:
        return failed(1, f"无法读取文件（{exc.strerror}）")
    except UnicodeDecodeError as exc:
        return failed(data[: exc.start].count(b"\n") + 1, "不是 UTF-8 编码的文本文件（请另存为 UTF-8）")
    except yaml.reader.ReaderError as exc:  # a control character: a binary file, most likely
        return failed(
            text[: exc.position].count("\n") + 1, "含有不能出现在文本中的控制字符（是否为二进制文件？）"
        )
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1
        return failed(line, f"YAML 语法错误：{getattr(exc, 'problem', None) or str(exc).splitlines()[0]}")
    except RecursionError:  # PyYAML composes nested collections recursively
        return failed(1, f"嵌套超过 {MAX_DEPTH} 层，不是框架文件")
    too_large = _too_large(root)
    if too_large:
        return failed(1, too_large)
    top = _mapping(root)
    if not top:
        return ParsedFramework("", 0, [], [f"{name}:1: 顶层应为映射（version、name、areas、requirements …）"])

    version_node = top.get("version", (None, None))[1]
    version = _value(version_node)
    if not isinstance(version, int) or version < 1:
        err(version_node, "version 应为正整数")
        version = 0
    title = str(_value(top.get("name", (None, None))[1]) or "")
    title_en = str(_value(top.get("name_en", (None, None))[1]) or "")

    areas = {str(_value(_mapping(n).get("code", (None, None))[1])) for n in _seq(top, "areas")}
    kinds = {str(_value(_mapping(n).get("code", (None, None))[1])) for n in _seq(top, "activity_kinds")}
    kinds |= known_kinds or set()

    req_key = top.get("requirements")
    if req_key is None:
        err(root, "缺少 requirements: 段")
        return ParsedFramework(title, version, [], errors)
    if not isinstance(req_key[1], yaml.SequenceNode):
        err(req_key[1], "requirements 应为列表")
        return ParsedFramework(title, version, [], errors)

    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for node in req_key[1].value:
        fields = _mapping(node)
        if not fields:
            err(node, "每条要求应为映射（code: …, title: …）")
            continue
        get = {key: _value(v) for key, (_, v) in fields.items()}
        at = {key: v for key, (_, v) in fields.items()}

        def need(key: str, get: dict = get, node: yaml.Node = node) -> Any:
            if key not in get or get[key] in (None, ""):
                err(node, f"缺少字段 {key}")
                return None
            return get[key]

        code = need("code")
        if code is not None:
            if not isinstance(code, str) or not _CODE.match(code):
                err(at["code"], f"code “{code}” 应为小写字母、数字和下划线")
            elif code in seen:
                err(at["code"], f"code “{code}” 重复（第 {seen[code]} 行已定义）")
            else:
                seen[code] = at["code"].start_mark.line + 1
        need("title")
        area = need("area")
        if area is not None and area not in areas:
            err(at["area"], f"area “{area}” 不在 areas: 中")
        measure = get.get("measure", "count")
        if measure not in MEASURES:
            err(at.get("measure"), f"measure “{measure}” 未知（应为 {'、'.join(MEASURES)}）")
        period = need("period")
        if period is not None and period not in KINDS:
            err(at["period"], f"period “{period}” 未知（应为 month、quarter、half 或 year）")
        minimum = need("min")
        percent = measure in ("rate", "every")
        if minimum is not None and not _number_within(minimum, MAX_PERCENT if percent else MAX_COUNT):
            what = f"是百分比，应在 0 到 {MAX_PERCENT}" if percent else f"应在 0 到 {MAX_COUNT}"
            err(at["min"], f"min {what} 之间，而不是 “{minimum}”")
        counts = get.get("counts", "activities")
        req_kinds = get.get("kinds") or []
        record_types = countable()  # what the modules declared (core.registry), not a list of ours
        if counts not in record_types:
            err(at.get("counts"), f"counts “{counts}” 未知（应为 {'、'.join(record_types)}）")
        if measure == "every" and counts not in checked():
            err(at.get("counts") or node, f"measure every 须计数 {'、'.join(sorted(checked()))} 之一")
        if not isinstance(req_kinds, list):
            err(at.get("kinds"), "kinds 应为列表")
            req_kinds = []
        for kind in req_kinds:
            if kind not in kinds:
                err(at["kinds"], f"活动类型 “{kind}” 未知（不在 activity_kinds: 中）")
        if counts == "activities" and not req_kinds:
            err(node, "计数活动的要求须给出 kinds")
        due = get.get("due") or ""
        if due and not (isinstance(due, str) and _DUE.match(due)):
            err(at.get("due"), f"due “{due}” 应为 MM-DD（如 03-31）")
        applies = get.get("applies_to") or []
        for kind in applies if isinstance(applies, list) else [applies]:
            if kind not in UNIT_KINDS:
                err(at["applies_to"], f"applies_to 中的单位类型 “{kind}” 未知")
        responsible = get.get("responsible", "")
        if responsible and responsible not in POSTS:
            err(at["responsible"], f"responsible “{responsible}” 未知（应为 {'、'.join(POSTS)}）")
        evidence = get.get("evidence") or []
        for item in evidence if isinstance(evidence, list) else [evidence]:
            if item not in record_type("activities").evidence:  # as the ledger declares it
                err(at["evidence"], f"evidence 中的 “{item}” 未知（应为 minutes、attendance、attachment）")
        points = get.get("points", 0)
        if not _number_within(points, MAX_POINTS):
            err(at.get("points"), f"points 应为 0 到 {MAX_POINTS} 之间的数")
        out.append(
            {
                "code": code,
                "title": get.get("title"),
                "title_en": str(get.get("title_en") or ""),
                "area": area,
                "measure": measure,
                "kinds": list(req_kinds),
                "counts": counts,
                "period": period,
                "min": minimum,
                "due": due,
                "applies_to": list(applies) if isinstance(applies, list) else [applies],
                "responsible": responsible,
                "evidence": list(evidence) if isinstance(evidence, list) else [evidence],
                "points": points,
                "line": node.start_mark.line + 1,
            }
        )
    return ParsedFramework(title, version, out, errors, name_en=title_en)


def _too_large(root: yaml.Node | None) -> str:
    """Why the composed tree, with every alias expanded, is too large to use ("" when it is not):
    its nodes counted once per place they appear, without expanding them (each node's count kept)."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) → (nodes, depth) of its expanded tree
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not done:
            if id(node) in open_:
                return "含有自我引用的别名（*引用了包含它自身的 &锚点），不是框架文件"
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_.discard(id(node))
        nodes = 1 + sum(sizes[id(child)][0] for child in children)
        depth = 1 + max((sizes[id(child)][1] for child in children), default=0)
        if nodes > MAX_NODES:
            return f"展开别名（*…）后超过 {MAX_NODES:,} 个节点，不是框架文件"
        if depth > MAX_DEPTH:
            return f"嵌套超过 {MAX_DEPTH} 层，不是框架文件"
        sizes[id(node)] = (nodes, depth)
    return ""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _number_within(value: Any, ceiling: float) -> bool:
    """A number from 0 to ``ceiling`` (not a bool, not NaN: ``0 <= nan`` is false)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= ceiling


def _seq(top: dict, key: str) -> list[yaml.Node]:
    node = top.get(key, (None, None))[1]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
