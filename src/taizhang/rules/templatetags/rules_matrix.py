"""The compliance matrix's cells, written in Python.

A county's matrix is thousands of cells (requirements × units), and drawing each through the
template engine took most of the page's time (about a second for a hundred units). The cells are
the markup and the words ``rules/matrix.html`` wrote with its cell loop, byte for byte: the same
classes, title, link and figures, and the same messages through gettext (the template's
``{% translate %}`` and ``{% blocktranslate %}`` ids: "不适用", "（未计入 %(excluded)s）",
"%(actual)s%%，目标 %(required)s%%"), so the catalogues translate them as before.
"""

from html import escape as _html_escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from taizhang.core.templatetags.taizhang import local
from taizhang.rules.counting import not_counted_words

register = template.Library()


def escape(value) -> str:
    """django.utils.html.escape without its lazy-string wrapper (called thousands of times a page)."""
    return _html_escape(str(value))


@register.simple_tag
def matrix_cells(cells, link: str, kind: str, window) -> str:
    """One requirement's row of cells: a cell per unit (its status, figures and periods in the
    title, linking to the records behind it), "不适用" where the rule does not apply."""
    figures: dict = {}
    labels: dict = {}

    def figure(value) -> str:  # |floatformat:"-1", the same few values over and over
        if value not in figures:
            figures[value] = floatformat(value, "-1")
        return figures[value]

    def label(text: str) -> str:  # {% translate text %}
        if text not in labels:
            labels[text] = conditional_escape(gettext(text.replace("%", "%%"))).replace("%%", "%")
        return labels[text]

    lines: dict = {}

    def line(p, rate: str) -> str:  # one period of a cell's title; a county repeats most of them
        key = (p.period, p.actual, p.required, p.status_label, p.excluded, rate)
        if key not in lines:
            lines[key] = (
                f"{escape(p.period.code)}：{figure(p.actual)}{rate}/{figure(p.required)}{rate} {label(p.status_label)}"
                + (
                    gettext("（未计入 %(excluded)s）")
                    % {"excluded": conditional_escape(localize(p.excluded))}
                    if p.excluded
                    else ""
                )
                + "&#10;"
            )
        return lines[key]

    whys: dict = {}
    details = gettext("明细")  # (a gettext inside an f-string is invisible to makemessages)

    def why(cell, rate: str) -> str:
        """Why a cell falls short, as a disclosure a tap opens (a title shows only on hover): each
        period's figures and status, and the records left out with what they lack."""
        lines = []
        for p in cell.periods:
            key = (p.period, p.actual, p.required, p.status, p.excluded_reasons, rate)
            if key not in whys:
                text = gettext("%(period)s：%(actual)s/%(required)s %(status)s") % {
                    "period": escape(p.period.display),
                    "actual": f"{figure(p.actual)}{rate}",
                    "required": f"{figure(p.required)}{rate}",
                    "status": label(p.status_label),
                }
                for reason, n in p.excluded_reasons:
                    text += gettext("；") + escape(
                        gettext("%(words)s %(n)s 条") % {"words": not_counted_words([reason]), "n": n}
                    )
                whys[key] = f"<li>{text}</li>"
            lines.append(whys[key])
        return f'\n<details class="why"><summary>{details}</summary>\n<ul>{"".join(lines)}</ul></details>'

    not_applicable = f'\n        <td class="not_applicable">{gettext("不适用")}</td>\n      '
    query = (f"&amp;kind={escape(kind)}" if kind else "") + f"&amp;period={escape(window.code)}"
    parts = []
    for cell in cells:
        if not cell:
            parts.append(not_applicable)
            continue
        rate = "%" if cell.is_rate else ""
        title = "".join(line(p, rate) for p in cell.periods)
        shown = escape(cell.figures)
        body = f'{label(cell.status_label)}<br><span class="fig">{shown}</span>'
        if link:
            body = f'<a href="{escape(link)}?unit={escape(cell.unit.code)}{query}">{body}</a>'
        if cell.status != "met" or cell.excluded:
            body += why(cell, rate)
        parts.append(
            f'\n        \n        <td class="{escape(cell.status)}" title="{title}">\n          {body}\n        </td>\n        \n      '
        )
    return mark_safe("".join(parts))


@register.simple_tag
def requirement_cell(rule, post: str, holders) -> str:
    """A requirement's row heading: its title in the page's language, and who answers for it (the
    post and who holds it today), as the template's heading cell wrote it."""
    who = ""
    if post:
        names = ""
        if holders:
            names = " " + conditional_escape(pgettext("list separator", "、")).join(
                conditional_escape(p.name) for p in holders
            )
        who = f'<small class="who">{conditional_escape(gettext("责任："))}{conditional_escape(post)}{names}</small>'
    return mark_safe(
        f'<th scope="row" class="req" title="{conditional_escape(rule.code)}">{conditional_escape(local(rule))}{who}</th>'
    )
