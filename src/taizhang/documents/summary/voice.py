"""A unit's own voice: how it refers to itself, its people, its line of work, its 阵地 and its
superiors, from its profile (``frameworks/profiles.yaml``) and its place in the unit tree (pure).

A school speaks of 教职工 and 课堂, a hospital of 医务人员 and 医德医风, a media centre of 编辑记者
and 导向; each says 学校, 我院, 中心, 局机关 of itself, and names its superiors once, as the tree has
them (县委和县教育局党组: the education bureau is the unit of the county whose name says so).
"""

from __future__ import annotations

from typing import Any

from taizhang.documents.summary.model import SummaryFacts, UnitInfo

PARTY_SUFFIXES = ("机关党支部", "党总支", "党支部", "党委", "党组")
REGION_KIND = "region"
SUB_KINDS = ("office", "cell")


def bare_name(name: str) -> str:
    """A unit's name without the party body it is (县人民医院党支部 → 县人民医院)."""
    for suffix in PARTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class Voice:
    """The words a unit's summary uses for itself and its world."""

    def __init__(self, facts: SummaryFacts):
        self.facts = facts
        data = facts.profiles or {}
        profiles: dict[str, Any] = data.get("profiles") or {}
        unit = facts.unit
        self.profile = unit.profile if unit.profile in profiles else "default"
        self.data: dict[str, Any] = dict(profiles.get("default") or {})
        self._merge(profiles.get(self.profile) or {})
        bare = bare_name(unit.name)
        for line in (
            data.get("lines") or []
        ):  # a bureau of education speaks of schools, one of health of hospitals
            if bare.endswith(line.get("end", "\0")):
                self._merge({k: v for k, v in line.items() if k != "end"})
                break
        seat = self._seat(data.get("seats") or [])
        self.words: dict[str, str] = {
            "self": seat.get("self") or unit.short,
            "body": seat.get("branch_body" if unit.kind == "branch" else "body") or seat.get("body") or "",
            **{
                k: str(self.data.get(k, ""))
                for k in ("people", "staff", "members", "public", "line", "line_again", "positions", "serves")
            },
        }
        if not self.words["body"]:
            self.words["body"] = {"branch": "支部委员会", "organ": "党组"}.get(unit.kind, "领导班子")
        self.words["leaders"] = self.leaders()

    def _merge(self, values: dict[str, Any]) -> None:
        """A more specific entry over a general one; a mapping (posts, headings) key by key."""
        for key, value in values.items():
            merge = isinstance(value, dict) and isinstance(self.data.get(key), dict)
            self.data[key] = {**self.data[key], **value} if merge else value

    # -- who it is ------------------------------------------------------------
    def _seat(self, seats: list[dict[str, str]]) -> dict[str, str]:
        """How the unit says "we" and names its leading body, by the end of its bare name."""
        name = bare_name(self.facts.unit.name)
        for seat in seats:
            if name.endswith(seat.get("end", "\0")):
                return seat
        return {}

    # -- who is above it -------------------------------------------------------
    def committee(self) -> str:
        """The party committee of the unit's region (清源县 → 县委), named from the tree."""
        regions = [u for u in self.facts.above if u.kind == REGION_KIND]
        if not regions:
            return ""
        last = regions[-1].name[-1:]
        return f"{last}委" if last in "县市区旗州省" else ""

    def parent_organ(self) -> UnitInfo | None:
        """The nearest unit above that is not a region (the department an office belongs to)."""
        above = [u for u in self.facts.above if u.kind != REGION_KIND]
        return above[-1] if above else None

    def line_superior(self) -> str:
        """The unit of the region that leads the unit's line of work (a school's 教育局), found among
        the region's units by the endings its profile lists, as the profile names it (县教育局党组)."""
        endings = self.data.get("line_superior") or []
        own = {self.facts.unit.id, *(u.id for u in self.facts.above)}
        for ending in endings:
            for peer in self.facts.peers:
                bare = bare_name(peer.name).removesuffix("机关")
                if peer.id not in own and bare.endswith(ending):
                    return str(self.data.get("line_superior_as", "{name}")).format(name=bare)
        return ""

    def leaders(self) -> str:
        """Who the unit works under, named once in the opening, from the tree: the first of the
        profile's patterns whose every name the tree holds."""
        unit = self.facts.unit
        parent = self.parent_organ()
        names = {
            "committee": self.committee(),
            "line": self.line_superior(),
            "parent": parent.name if parent else "",
            "own": bare_name(unit.name).removesuffix("机关"),
        }
        patterns = list(self.data.get("leaders") or [])
        if unit.kind in SUB_KINDS and parent:
            patterns = ["{parent}"]
        for pattern in [*patterns, "{committee}"]:
            needed = [k for k in names if "{" + k + "}" in pattern]
            if all(names[k] for k in needed):
                return pattern.format(**names)
        return "上级党组织"

    # -- how its summary is laid out --------------------------------------------
    def area_order(self, areas: list[str]) -> list[str]:
        """The framework's areas in the order the profile tells its work (a media centre puts its
        publicity before its study); areas the profile does not list keep the framework's order."""
        order = [a for a in self.data.get("order") or [] if a in areas]
        return order + [a for a in areas if a not in order]

    def heading(self, area: str, have: set[str], index) -> str | None:
        """A two-clause heading for the area from the profile's pool (else the default pool), among
        those whose ``needs`` the unit's records meet (a heading on risks only for a unit that has
        registered some); ``index`` is the writer's stable choice."""
        profiles = (self.facts.profiles or {}).get("profiles") or {}
        pools = [
            (self.data.get("headings") or {}).get(area) or [],  # its line's, else its profile's
            ((profiles.get("default") or {}).get("headings") or {}).get(area) or [],
        ]
        for pool in pools:
            fitting = []
            for entry in pool:
                text, needs = (
                    (entry, []) if isinstance(entry, str) else (entry["text"], entry.get("needs", []))
                )
                if all(need in have for need in needs):
                    fitting.append(text)
            if fitting:
                return fitting[index(len(fitting), "heading", area)]
        return None
