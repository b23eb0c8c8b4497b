"""The navigation every page shows, cut to what the login can use.

Clerks, leaders and admins get the whole ledger grouped by practice; a member (who reads only their
own rows and what their organisation published) gets their own page and the two lists they use.
"""

from __future__ import annotations

from django.urls import reverse

from taizhang.org.scope import visible_units, writable_units

# Pages that record something: offered only to a login that writes some unit (a leader reads all
# and records nothing; the page would only answer that there is no unit to record in).
WRITES = {"ledger:activity-create", "org:person-create"}

FULL = [
    (
        "台账",
        [("单位", "home"), ("活动台账", "ledger:activity-list"), ("登记活动", "ledger:activity-create")],
    ),
    ("考核", [("要求落实", "rules:matrix"), ("待办", "rules:todo")]),
    (
        "组织",
        [("人员与任职", "org:person-list"), ("登记人员", "org:person-create"), ("责任分工", "org:duties")],
    ),
    (
        "报送与宣传",
        [
            ("信息报送", "reporting:submission-list"),
            ("采用情况", "reporting:adoption-list"),
            ("积分排名", "reporting:ranking"),
            ("宣传稿件", "reporting:article-list"),
            ("三审发布", "review:draft-list"),
        ],
    ),
    ("阵地与研判", [("阵地备案", "channels:channel-list"), ("风险研判", "risks:risk-list")]),
    (
        "主题活动",
        [
            ("主题宣传", "campaigns:campaign-list"),
            ("捐款捐物", "campaigns:donation-list"),
            ("志愿服务", "campaigns:volunteer-list"),
            ("评选", "campaigns:selection-list"),
        ],
    ),
    ("文书", [("工作总结", "documents:start"), ("核对文稿", "documents:factcheck")]),
]
MEMBER = [
    (
        "我的",
        [
            ("我的台账", "ledger:mine"),
            ("我的报送", "reporting:submission-list"),
            ("已发布内容", "review:draft-list"),
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
        nav.append(("我的", [("我的台账", reverse("ledger:mine"))]))
    return {"nav": nav}
