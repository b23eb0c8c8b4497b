"""The navigation every page shows, cut to what the login can use.

Clerks, leaders and admins get the whole ledger grouped by practice; a member (who reads only their
own rows and what their organisation published) gets their own page and the two lists they use.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taizhang.org.scope import visible_units, writable_units

# Pages that record something: offered only to a login that writes some unit (a leader reads all
# and records nothing; the page would only answer that there is no unit to record in).
WRITES = {"ledger:activity-create", "org:person-create"}

FULL = [
    (
        _("台账"),
        [
            (_("单位"), "home"),
            (_("活动台账"), "ledger:activity-list"),
            (_("登记活动"), "ledger:activity-create"),
        ],
    ),
    (_("考核"), [(_("要求落实"), "rules:matrix"), (_("待办"), "rules:todo")]),
    (
        _("组织"),
        [
            (_("人员与任职"), "org:person-list"),
            (_("登记人员"), "org:person-create"),
            (_("责任分工"), "org:duties"),
        ],
    ),
    (
        _("报送与宣传"),
        [
            (_("信息报送"), "reporting:submission-list"),
            (_("采用情况"), "reporting:adoption-list"),
            (_("积分排名"), "reporting:ranking"),
            (_("宣传稿件"), "reporting:article-list"),
            (_("三审发布"), "review:draft-list"),
        ],
    ),
    (_("阵地与研判"), [(_("阵地备案"), "channels:channel-list"), (_("风险研判"), "risks:risk-list")]),
    (
        pgettext_lazy("menu", "主题活动"),  # the group; a record's 主题活动 is one campaign
        [
            (_("主题宣传"), "campaigns:campaign-list"),
            (_("捐款捐物"), "campaigns:donation-list"),
            (_("志愿服务"), "campaigns:volunteer-list"),
            (_("评选"), "campaigns:selection-list"),
        ],
    ),
    (
        _("文书"),
        [
            (_("总结与文书下载"), "documents:start"),
            (_("批量生成"), "documents:batches"),
            (_("核对文稿"), "documents:factcheck"),
        ],
    ),
    # Clerks and leaders are the ones who script against the ledger (imports, reports to a county).
    (_("接口"), [(_("API 文档"), "api-docs")]),
]
MEMBER = [
    (
        _("我的"),
        [
            (_("我的台账"), "ledger:mine"),
            (_("我的报送"), "reporting:submission-list"),
            (_("已发布内容"), "review:draft-list"),
        ],
    )
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    groups = FULL if visible_units(user).exists() else MEMBER
    writes = writable_units(user).exists()
    nav = [
        (title, [(label, reverse(name)) for label, name in links if writes or name not in WRITES])
        for title, links in groups
    ]
    if groups is FULL and getattr(user, "person", None) is not None:
        nav.append((_("我的"), [(_("我的台账"), reverse("ledger:mine"))]))
    return {"nav": nav}


def script_messages(request) -> dict:
    """The few words the pages' scripts write themselves (the unit chooser's search box, a
    scrolling table's name), in the page's language: base.html hands them over as JSON."""
    from django.utils.translation import gettext

    return {
        "script_messages": {
            "scroll": gettext("可横向滚动的表格"),
            "search": gettext("搜索单位"),
            "searchLabel": gettext("搜索单位（名称或代码）"),
            "moreUnits": gettext("……还有更多单位，请输入更完整的名称"),
        }
    }
