"""Information submitted upward, its adoption, and publicity articles in the media."""

from taizhang.core.registry import RecordType, register

ABOVE_COUNTY = ["city", "province", "national"]

register(
    RecordType(
        code="submissions",
        name="报送信息",
        measure="条",
        model="reporting.Submission",
        list_url="reporting:submission-list",
    ),
    RecordType(
        code="public_sentiment_submissions",
        name="社情民意信息",
        measure="条",
        model="reporting.Submission",
        where={"kind": "public_sentiment"},
        base="submissions",
        list_url="reporting:submission-list",
    ),
    RecordType(
        code="research_report_submissions",
        name="调研报告",
        measure="篇",
        model="reporting.Submission",
        where={"kind": "research_report"},
        base="submissions",
        list_url="reporting:submission-list",
        engine=False,
    ),
    RecordType(
        code="adoptions",
        name="信息采用",
        measure="条",
        model="reporting.Adoption",
        unit_field="submission__unit",
        title_field="submission__title",
        where={"submission__deleted": False},
        list_url="reporting:adoption-list",
    ),
    RecordType(
        code="adoptions_city_or_higher",
        name="市级以上采用",
        measure="条",
        model="reporting.Adoption",
        unit_field="submission__unit",
        title_field="submission__title",
        where={"submission__deleted": False, "level__in": ABOVE_COUNTY},
        base="adoptions",
        list_url="reporting:adoption-list",
    ),
    RecordType(
        code="publicity_articles",
        name="宣传稿件",
        measure="篇",
        model="reporting.Article",
        list_url="reporting:article-list",
    ),
    RecordType(
        code="publicity_articles_city_or_higher",
        name="市级以上媒体宣传稿件",
        measure="篇",
        model="reporting.Article",
        where={"outlet_level__in": ABOVE_COUNTY},
        base="publicity_articles",
        list_url="reporting:article-list",
    ),
)
