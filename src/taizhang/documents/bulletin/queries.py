"""Reads for the bulletin: the issuer's sub-units, each with its whole subtree's records.

Kept apart from ``documents.summary.queries`` (the summary's reads). A fixed number of queries for the
whole tree (units, then one per table, then the reporting module's grouped points), never a query
per unit; each record is credited to the sub-unit whose subtree holds it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.documents.bulletin.build import UnitRow, build_bulletin, issuing_office, recipients_line
from taizhang.documents.output.model import Document
from taizhang.documents.summary.facts import default_date, scoped
from taizhang.ledger.models import Activity
from taizhang.ledger.queries import in_period
from taizhang.org.models import Unit, UnitKind
from taizhang.reporting import queries as reporting_queries


class NoPeers(ValueError):
    """The unit has no sub-units: a bulletin would rank nobody (a user's choice, told in Chinese)."""


def bulletin_for(*, root: Unit, period: Period, written_on: date | None = None) -> Document:
    """``root``'s bulletin to its direct sub-units, ranked on their subtrees' records in ``period``.

    A region's bulletin is issued and signed by its publicity department (``issuing_office``), which
    is then not among the units it ranks; an organ's by the organ.
    """
    tree = Unit.objects.filter(path__startswith=root.path)
    units = list(tree.order_by("path"))
    peers = [u for u in units if u.parent_id == root.pk]
    issuer = root.name
    if root.kind == UnitKind.REGION:
        # A county's bulletin comes from its publicity department, which does not rank itself.
        office = issuing_office(root.name, [u.name for u in peers])
        if office is not None:
            peers = [u for u in peers if u.name != office[0]]
            issuer = office[1]
    if not peers:
        raise NoPeers(f"{root.name}没有下级单位，通报无可排名的单位。")
    # The sub-unit each unit of the tree belongs to: the path segment just below the root.
    below = root.depth + 1
    peer_of = {u.pk: u.ancestor_ids[below] for u in units if u.depth >= below}
    in_tree = {"unit__path__startswith": root.path}

    def by_peer(rows) -> dict[int, tuple[int, ...]]:
        out: dict[int, list[int]] = defaultdict(list)
        for unit_id, pk in rows:
            if unit_id in peer_of:  # the issuer's own records are not ranked
                out[peer_of[unit_id]].append(pk)
        return {peer: tuple(sorted(ids)) for peer, ids in out.items()}

    def of_type(code: str) -> dict[int, tuple[int, ...]]:
        """The records of a declared type in the period (``summary.facts.scoped``), by sub-unit."""
        return by_peer(scoped(code, root, period).values_list(f"{REGISTRY[code].unit_field}_id", "id"))

    activities = by_peer(in_period(Activity.objects.filter(**in_tree), period).values_list("unit_id", "id"))
    submissions = of_type("submissions")
    adoptions = of_type("adoptions")  # by their own date, as the reporting module's points do
    articles = of_type("publicity_articles")
    others = {  # what the types that declare a bulletin phrase hold in the period (core.registry)
        t.code: of_type(t.code) for t in REGISTRY.values() if t.bulletin
    }
    points: dict[int, int] = defaultdict(int)
    for unit_id, measures in reporting_queries.measure_counts(units=tree, period=period).items():
        if unit_id in peer_of:
            points[peer_of[unit_id]] += measures.get("reporting_points", 0)
    return build_bulletin(
        issuer=issuer,
        recipients=recipients_line([(u.name, u.kind) for u in peers]),
        period=period,
        rows=[
            UnitRow(
                u.name,
                activities.get(u.pk, ()),
                submission_ids=submissions.get(u.pk, ()),
                adoption_ids=adoptions.get(u.pk, ()),
                article_ids=articles.get(u.pk, ()),
                points=points[u.pk],
                others=tuple(
                    (code, *REGISTRY[code].bulletin, REGISTRY[REGISTRY[code].table].name, ids.get(u.pk, ()))
                    for code, ids in others.items()
                ),
            )
            for u in peers
        ],
        written_on=written_on or default_date(period),  # a closed period's bulletin: dated after it
    )
