"""Items the organisation published on its own channels after the three reviews (三审制)."""

from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import DATE_FORMAT, Api, Column, MenuEntry, Page, RecordType, Sheet, register


def _reviews(draft) -> str:
    """The 审核 column: how many stages approved the last round, and whether that is the full three."""
    full = draft.approved_stages >= 3 and draft.approvers >= 3
    return f"{draft.approved_stages}审{'，已三审' if full else ''}"


register(
    RecordType(
        code="published_items",
        name="自办阵地发布稿件",
        measure="篇",
        model="review.Draft",
        date_field="published_on",
        where={"state": "published"},
        checked=True,  # published without three approvals
        counter="taizhang.review.queries.engine_counts",
        english="Draft",
        columns=(
            Column("发布日期", "published_on", width=11, format=DATE_FORMAT),
            Column("单位", "unit", write="unit.name", width=20, listed=2, list_header=_("单位")),
            Column("标题", "title", width=40, listed=1, list_header=_("标题")),
            Column("发布阵地", "channel", write="channel.name", width=20),
            Column("作者", "author", write="author.name", width=9, listed=3, list_header=_("作者")),
            Column("审核", write=_reviews, width=12),
            Column("日期", "date", exported=False, listed=4, list_header=_("日期")),
            Column("状态", "state", exported=False, listed=5, list_header=_("状态")),
        ),
        sheet=Sheet("发布稿件（三审）", order=40, rows="taizhang.review.queries.published_sheet"),
        # The list is of every draft (its period by the day it was written), not only the published.
        page=Page(
            app="review",
            name="draft",
            prefix="drafts",
            title=_("送审稿"),
            cls="taizhang.review.views.DraftPages",
            form="taizhang.review.forms.DraftForm",
            create="taizhang.review.services.draft_create",
            update="taizhang.review.services.draft_update",
            date_field="date",
            search=("title",),
            related=("author",),
            detail_template="review/draft_detail.html",
            own="author",  # authors follow their own drafts through the reviews
            published="taizhang.review.queries.PUBLISHED",  # members read what their unit published
            edit_refusal="taizhang.review.services.draft_edit_refusal",
        ),
        api=Api(prefix="drafts", basename="draft", viewset="taizhang.review.api.DraftViewSet"),
        menu=(
            MenuEntry("reporting", _("三审发布"), 50),
            MenuEntry("mine", _("已发布内容"), 30),
        ),
        details=(),
        without={
            "import": "稿件须经三审后发布，工作表带不出审核记录，不能导入",
            "aggregate": "自办阵地发布稿件须逐篇登记三审记录，不能以汇总数导入",
        },
    ),
)
