"""Items the organisation published on its own channels after the three reviews (三审制)."""

from taizhang.core.registry import RecordType, register

register(
    RecordType(
        code="published_items",
        name="自办阵地发布稿件",
        measure="篇",
        model="review.Draft",
        date_field="published_on",
        where={"state": "published"},
        list_url="review:draft-list",
    ),
)
