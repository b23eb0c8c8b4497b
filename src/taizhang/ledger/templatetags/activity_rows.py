"""The activity list's rows, written in Python (``{% activity_rows page.object_list %}``).

Fifty rows through the template engine, five cells each with their lookups and filters, were a
quarter of the list page's time. The markup is what ``ledger/activity_list.html`` wrote with its
row loop: a row's date, unit (its short name), kind, topic linking to the record with what keeps
it from counting, and host.
"""

from html import escape as _html_escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def escape(value) -> str:
    """django.utils.html.escape without its lazy-string wrapper (called hundreds of times a page)."""
    return _html_escape(str(value))


@register.simple_tag
def activity_rows(rows) -> str:
    out = []
    # a page's fifty rows name a few units and kinds: each escaped once (a kind's name is looked
    # up in the page's language)
    units: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for a in rows:
        unit = units.get(a.unit.pk)
        if unit is None:
            unit = units[a.unit.pk] = escape(a.unit.short_name or a.unit.name)
        kind = kinds.get(a.kind.pk)
        if kind is None:
            kind = kinds[a.kind.pk] = escape(a.kind)
        standing = a.standing
        note = (
            f' <small class="not-counted">{escape(standing.words)}</small>'
            if standing is not None and standing.standings and not standing.counts
            else ""
        )
        out.append(
            "\n    <tr>\n"
            f"      <td>{a.date:%Y-%m-%d}</td>\n"
            f"      <td>{unit}</td>\n"
            f"      <td>{kind}</td>\n"
            f'      <td><a href="{escape(a.url)}">{escape(a.topic)}</a>{note}</td>\n'
            f"      <td>{escape(a.host_name)}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(out))
