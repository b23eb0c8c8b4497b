"""存在的问题 and 下一步打算, from the weak points the facts hold (pure).

The most telling weak points, one per kind of problem, at least two; unmet rules make one point
together. A risk the unit registered itself (宣传思想工作力量薄弱) is a candidate in its own words.
A weak point is never written against the body: the body's section on the same area keeps no
sentence claiming the opposite (``Writer.avoid``), and a rate word agrees with the rate.
"""

from __future__ import annotations

from taizhang.documents.summary.model import SummaryFacts, Weak
from taizhang.documents.summary.wording import clause, sentence
from taizhang.documents.summary.writer import Writer

GENERAL_WEAK = (Weak("innovation", 0), Weak("team", 0, area="publicity"))


def risk_code(facts: SummaryFacts, weak: Weak) -> str:
    """The kind of problem a registered risk is (力量薄弱 → team), by the words summary.yaml lists."""
    for words, code in (facts.phrases.get("risk_weak") or {}).items():
        if any(word in weak.subject for word in str(words).split("|")):
            return code
    return "registered_risk"


def chosen_weak(facts: SummaryFacts, at_most: int = 3) -> list[Weak]:
    """The most telling weak points, one per kind of problem, and never fewer than two.

    Unmet rules make one point together (制度执行不够严格: this one in that half, that one all
    year), as a summary names them, rather than one point per rule."""
    weak = []
    for w in facts.weak:
        if w.code == "registered_risk":  # in the unit's own words: its description, its measures
            code = risk_code(facts, w)
            code = "team_recorded" if code == "team" else code
            evidence = sentence(w.evidence) if w.evidence else ""
            w = Weak(code, w.severity, w.subject, evidence, clause(w.commitment), w.when, w.area)
        weak.append(w)
    weak.sort(key=lambda x: -x.severity)
    unmet = _one_per_subject([w for w in weak if w.code == "rule_unmet"])
    if unmet:
        # one clause per kind of evidence: 甲、乙有的缺少会议记录…, 丙下半年没有开展
        shown = unmet[:3]
        by_evidence: dict[str, list[str]] = {}
        for w in shown:
            by_evidence.setdefault(w.evidence, []).append(w.subject)
        merged = Weak(
            "rule_unmet",
            max(w.severity for w in unmet),
            subject="、".join(dict.fromkeys(w.subject for w in shown)),
            evidence="，".join(
                f"{'、'.join(subjects)}{evidence}" for evidence, subjects in by_evidence.items()
            ),
            commitment="，".join(dict.fromkeys(w.commitment for w in shown if w.commitment)),
            area=shown[0].area,
        )
        weak = [merged if w is unmet[0] else w for w in weak if w.code != "rule_unmet" or w is unmet[0]]
    chosen: list[Weak] = []
    for w in weak:
        if any(c.code == w.code or {c.code, w.code} == {"team", "team_recorded"} for c in chosen):
            continue
        chosen.append(w)
        if len(chosen) == at_most:
            break
    for w in GENERAL_WEAK:
        if len(chosen) >= 2:
            break
        if all(c.code != w.code and not (w.code == "team" and c.code == "team_recorded") for c in chosen):
            chosen.append(w)
    return chosen


def _one_per_subject(unmet: list[Weak]) -> list[Weak]:
    """Two rules on one kind (中心组学习: how often, and who came) make one point: the first, the
    weightier by the order they came in."""
    seen: set[str] = set()
    out = []
    for w in unmet:
        if w.subject not in seen:
            seen.add(w.subject)
            out.append(w)
    return out


def weak_text(w: Writer, weak: Weak, part: str) -> str:
    template = w.pick("weak_points", weak.code, part, key=weak.subject)
    words = w.words()
    if "{line}" in template:  # named in full twice in a document, then by its short name (Writer.fill)
        w.line_named += 1
        if w.line_named > 2:
            words["line"] = words.get("line_again") or words["line"]
    values = {
        **words,
        "subject": weak.subject,
        "evidence": weak.evidence,
        "commitment": weak.commitment or "按要求抓好落实",
        "when": weak.when,
    }
    return sentence(template.format(**values))
