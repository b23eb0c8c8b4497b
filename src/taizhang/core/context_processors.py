"""The navigation every page shows, cut to what the login can use.

Clerks, leaders and admins get the whole ledger grouped by practice; a member (who reads only their
own rows and what their organisation published) gets their own page and the two lists they use.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import table_types
from taizhang.core.units import reads_anywhere, writes_anywhere

# The navigation's groups, in order; a record type's pages take their place in them from its declaration
# (``core.registry``: ``menu``), the other pages below.
GROUPS = (
    ("ledger", _("台账")),
    ("rules", _("考核")),
    ("org", _("组织")),
    ("reporting", _("报送与宣传")),
    ("channels", _("阵地与研判")),
    ("campaigns", pgettext_lazy("menu", "主题活动")),  # the group; a record's 主题活动 is one campaign
    ("documents", _("文书")),
    # Clerks and leaders are the ones who script against the ledger (imports, reports to a county).
    ("api", _("接口")),
)
MINE = ("mine", _("我的"))  # a member's whole menu
# Pages that are not a record type's: (group, label, URL name, place, records something).
PAGES = (
    ("ledger", _("单位"), "home", 10, False),
    ("rules", _("要求落实"), "rules:matrix", 10, False),
    ("rules", _("待办"), "rules:todo", 20, False),
    ("org", _("人员与任职"), "org:person-list", 10, False),
    ("org", _("登记人员"), "org:person-create", 20, True),
    ("org", _("责任分工"), "org:duties", 30, False),
    ("reporting", _("积分排名"), "reporting:ranking", 30, False),
    ("documents", _("总结与文书下载"), "documents:start", 10, False),
    ("documents", _("批量生成"), "documents:batches", 20, False),
    ("documents", _("核对文稿"), "documents:factcheck", 30, False),
    ("api", _("API 文档"), "api-docs", 10, False),
    ("mine", _("我的台账"), "ledger:mine", 10, False),
)


@functools.cache
def _entries() -> dict[str, list[tuple[int, object, str, bool]]]:
    """Per group, its links in order: (place, label, URL name, records something)."""
    groups: dict[str, list] = defaultdict(list)
    for group, label, name, order, writes in PAGES:
        groups[group].append((order, label, name, writes))
    for t in table_types():
        for entry in t.menu:
            name = f"{t.page.app}:{t.page.name}-{entry.action}"
            groups[entry.group].append((entry.order, entry.label, name, entry.action == "create"))
    return {group: sorted(links, key=lambda link: link[0]) for group, links in groups.items()}


def menu(*, member: bool = False) -> list[tuple[object, list[tuple[object, str, bool]]]]:
    """The groups and their links (label, URL name, records something): a member's, or everyone else's."""
    entries = _entries()
    groups = (MINE,) if member else GROUPS
    return [
        (title, [(label, name, writes) for _, label, name, writes in entries.get(group, ())])
        for group, title in groups
    ]


def navigation(request) -> dict:
    """``nav``: the header's menus as HTML, the same for every login of one kind (reads the whole
    ledger or only its own, may record or not, is a person, is staff) in one language, so each
    process renders each kind once; a page costs only the queries that tell which kind it is."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": ""}
    # From the login's grants, read once a request (a query only for grants of deleted units).
    writes = writes_anywhere(user)
    full = writes or reads_anywhere(user)
    person = full and getattr(user, "person", None) is not None
    return {"nav": _nav_html(full, writes, person, user.is_staff, get_language())}


@functools.lru_cache(maxsize=64)
def _nav_html(full: bool, writes: bool, person: bool, staff: bool, language: str) -> str:
    nav = [
        (title, [(label, reverse(name)) for label, name, records in links if writes or not records])
        for title, links in menu(member=not full)
    ]
    if person:
        nav.append((_("我的"), [(_("我的台账"), reverse("ledger:mine"))]))
    with override(language):
        return mark_safe(render_to_string("core/_nav.html", {"nav": nav, "staff": staff}).strip())


def script_messages(request) -> dict:
    """The few words the pages' scripts write themselves (the unit chooser's search box, a
    scrolling table's name), in the page's language: base.html hands them over as JSON, made once
    per language."""
    return {"script_messages": _script_messages(get_language())}


@functools.lru_cache(maxsize=8)
def _script_messages(language: str) -> str:
    from django.utils.html import json_script
    from django.utils.translation import gettext

    with override(language):
        words = {
            "scroll": gettext("可横向滚动的表格"),
            "search": gettext("搜索单位"),
            "searchLabel": gettext("搜索单位（名称或代码）"),
            "moreUnits": gettext("……还有更多单位，请输入更完整的名称"),
        }
    return json_script(words, "taizhang-messages")
