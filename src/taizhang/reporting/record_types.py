"""Information submitted upward, its adoption, and publicity articles in the media."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from taizhang.core.registry import (
    DATE_FORMAT,
    EXAMPLE_DAY,
    Api,
    Column,
    MenuEntry,
    Page,
    RecordType,
    Sheet,
    register,
)

ABOVE_COUNTY = ["city", "province", "national"]
COUNTER = "taizhang.reporting.queries.engine_counts"


def adoption_place(adoption) -> str:
    """Where it was adopted: 《各界反映》2020年第27期, or the publication alone."""
    if adoption.publication and adoption.issue_no:
        return f"{adoption.publication}{adoption.issue_year or ''}年第{adoption.issue_no}期"
    return adoption.publication


def _adopted(submission) -> str:
    return "；".join(
        f"{a.get_level_display()}{adoption_place(a) or a.outlet}" for a in submission.adoptions.all()
    )


register(
    RecordType(
        code="submissions",
        name="报送信息",
        measure="条",
        model="reporting.Submission",
        counter=COUNTER,
        english="Report information",
        columns=(
            Column("报送日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY,
                   listed=5, list_header=_("日期")),
            Column("单位", "unit", read="unit", write="unit.name", width=20, listed=2, list_header=_("单位")),
            Column("类别", "kind", read="choice", width=12, listed=3, list_header=_("类别"), filter=_("类别")),
            Column("标题", "title", read="text", width=40, example="我县开展春耕备耕服务", listed=1,
                   list_header=_("标题")),
            Column("报送人", "author", read="person", write="author.name", width=9, example="张三", listed=4,
                   list_header=_("报送人")),
            Column("报送刊物", "target", read="text", width=16, example="《各界反映》"),
            Column("采用情况", write=_adopted, width=30),
            Column("正文", "text", read="text", exported=False),
        ),
        sheet=Sheet(
            "报送信息",
            order=10,
            rows="taizhang.reporting.queries.submission_sheet",
            create="taizhang.reporting.services.submission_create",
            needs=("date", "title", "author"),
            key=("unit", "date", "title"),
            lookup="taizhang.reporting.queries.submission_named",
        ),
        page=Page(
            app="reporting",
            name="submission",
            prefix="submissions",
            title=_("报送信息"),
            cls="taizhang.reporting.views.SubmissionPages",
            form="taizhang.reporting.forms.SubmissionForm",
            create="taizhang.reporting.services.submission_create",
            update="taizhang.reporting.services.submission_update",
            related=("author",),
            detail_template="reporting/submission_detail.html",
            own="author",  # a member reads the information they reported …
            self_service="author",  # … and reports it themselves, as its author
        ),
        api=Api(
            prefix="submissions",
            basename="submission",
            serializer="taizhang.reporting.api.SubmissionSerializer",
            delete="taizhang.reporting.services.submission_delete",
            select=("author",),
        ),
        menu=(
            MenuEntry("reporting", _("信息报送"), 10),
            MenuEntry("mine", _("我的报送"), 20),
        ),
        details=("kind", "highlight"),
        kind_field="kind",
    ),
    RecordType(
        code="public_sentiment_submissions",
        name="社情民意信息",
        measure="条",
        model="reporting.Submission",
        where={"kind": "public_sentiment"},
        base="submissions",
        counter=COUNTER,
    ),
    RecordType(
        code="research_report_submissions",
        name="调研报告",
        measure="篇",
        model="reporting.Submission",
        where={"kind": "research_report"},
        base="submissions",
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
        counter=COUNTER,
        english="Adoptions",
        columns=(
            Column("采用日期", "date", read="date", width=11, format=DATE_FORMAT, example=date(2021, 3, 20),
                   listed=4, list_header=_("日期")),
            Column("单位", "unit", read="unit", write="submission.unit.name", width=20),
            Column("信息标题", "submission", read="record", refers="submissions", write="submission.title",
                   width=40, example="我县开展春耕备耕服务", listed=2, list_header=_("报送信息")),
            Column("采用层级", "level", read="choice", width=9, listed=3, list_header=_("层级"),
                   filter=_("采用层级")),
            Column("刊物及期号", "issue", read="issue", write=adoption_place, width=24,
                   example="《各界反映》2021年第3期"),
            Column("采用媒体", "outlet", read="text", width=20),
            Column("采用", write="__str__", exported=False, listed=1, list_header=_("采用")),
        ),
        sheet=Sheet(
            "信息采用",
            order=20,
            rows=lambda rows: rows.select_related("submission__unit").order_by("date", "id"),
            create="taizhang.reporting.services.adoption_create",
            needs=("date", "submission", "level"),
            key=("unit", "submission", "level", "date", "issue", "outlet"),
        ),
        page=Page(
            app="reporting",
            name="adoption",
            prefix="adoptions",
            title=_("采用情况"),
            form="taizhang.reporting.forms.AdoptionForm",
            create="taizhang.reporting.services.adoption_create",
            update="taizhang.reporting.services.adoption_update",
            related=("submission",),
        ),
        api=Api(
            prefix="adoptions",
            basename="adoption",
            viewset="taizhang.reporting.api.AdoptionViewSet",
        ),
        menu=(MenuEntry("reporting", _("采用情况"), 20),),
        details=("level", "publication", "issue_year", "issue_no"),
        kind_field="level",
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
        counter=COUNTER,
    ),
    RecordType(
        code="publicity_articles",
        name="宣传稿件",
        measure="篇",
        model="reporting.Article",
        counter=COUNTER,
        english="Publicity articles",
        columns=(
            Column("刊发日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY,
                   listed=5, list_header=_("日期")),
            Column("单位", "unit", read="unit", write="unit.name", width=20, listed=2, list_header=_("单位")),
            Column("标题", "title", read="text", width=40, example="乡村振兴一线见闻", listed=1,
                   list_header=_("标题")),
            Column("媒体", "outlet", read="text", width=16, example="县融媒体中心", listed=3,
                   list_header=_("媒体")),
            Column("媒体层级", "outlet_level", read="choice", width=9, listed=4, list_header=_("层级"),
                   filter=_("媒体层级")),
            Column("作者", "author", read="person", write="author.name", width=9, example="李四"),
            Column("链接", "link", read="text", width=24, example="https://example.cn/news/1"),
        ),
        sheet=Sheet(
            "宣传稿件",
            order=30,
            rows=lambda rows: rows.select_related("unit", "author").order_by("date", "id"),
            create="taizhang.reporting.services.article_create",
            needs=("date", "title", "outlet"),
            key=("unit", "date", "title", "outlet"),
        ),
        page=Page(
            app="reporting",
            name="article",
            prefix="articles",
            title=_("宣传稿件"),
            form="taizhang.reporting.forms.ArticleForm",
            create="taizhang.reporting.services.article_create",
            update="taizhang.reporting.services.article_update",
        ),
        api=Api(
            prefix="articles",
            basename="article",
            serializer="taizhang.reporting.api.ArticleSerializer",
            delete="taizhang.reporting.services.article_delete",
        ),
        menu=(MenuEntry("reporting", _("宣传稿件"), 40),),
        details=("outlet_level", "outlet", "highlight"),
        kind_field="outlet_level",
    ),
    RecordType(
        code="publicity_articles_city_or_higher",
        name="市级以上媒体宣传稿件",
        measure="篇",
        model="reporting.Article",
        where={"outlet_level__in": ABOVE_COUNTY},
        base="publicity_articles",
        counter=COUNTER,
    ),
)  # fmt: skip
