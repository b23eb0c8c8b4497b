"""The ledger's record types: activities (of every kind) and study reflections.

An activity's sheet in the ledger workbook is one per kind (each kind is its own ledger book on paper),
written from the activity as ``documents.archive.build.ActivityRecord`` carries it: its attendance split into
who was present and who was excused. ``taizhang import`` reads it back with ``ledger.imports`` (the
aliases file's ``columns:`` are these columns' fields); the blank template has the columns a clerk
fills in (the kind, the recorder and who was excused among them), not those worked out again (出勤).
"""

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


def _excused(activity) -> str:
    """Who was excused or absent, as the import reads it back: 张三请假（出差）；李四缺席."""
    return "；".join(
        f"{a.name}{'请假' if a.status == 'leave' else '缺席'}{'（' + a.reason + '）' if a.reason else ''}"
        for a in activity.excused
    )


register(
    RecordType(
        code="activities",
        name="活动",
        measure="次",
        model="ledger.Activity",
        title_field="topic",
        evidence=("minutes", "attendance", "attachment"),
        english="Activity",
        columns=(
            Column("日期", "date", read="date", width=11, format=DATE_FORMAT, example=EXAMPLE_DAY),
            Column("类型", "kind", read="choice", width=14, exported=False, template=True),
            Column("内容", "topic", read="text", width=28, example="学习《中国共产党宣传工作条例》"),
            Column("学习材料", "materials", read="lines", write=lambda a: "\n".join(a.materials), width=28,
                   example="《中国共产党宣传工作条例》"),
            Column("主持人", "host", read="person", width=9, example="张三"),
            Column("记录人", "recorder", read="person", width=9, example="李四", exported=False, template=True),
            Column("地点", "location", read="text", width=16, example="机关三楼会议室"),
            Column("参加人员", "attendees", read="people", write=lambda a: "、".join(p.name for p in a.present),
                   width=36, example="张三、李四、王五"),
            Column("出勤", write=lambda a: f"应到{len(a.attendees)}人，实到{len(a.present)}人", width=18),
            Column("请假人员", "absentees", read="people", width=22, example="赵六请假（出差）", exported=False,
                   template=True),
            Column("备注", "remarks", read="text", write=_excused, width=22),
        ),
        # One sheet per kind, titled by the kind's name; this title is the template's single sheet.
        sheet=Sheet("活动台账", order=1, split="kind", reader="taizhang.ledger.imports.plan_import"),
        page=Page(app="ledger", name="activity", prefix="activities", title=_("活动"), hand_written=True),
        api=Api(prefix="activities", basename="activity", viewset="taizhang.ledger.api.ActivityViewSet"),
        menu=(
            MenuEntry("ledger", _("活动台账"), 20),
            MenuEntry("ledger", _("登记活动"), 30, action="create"),
        ),
        details=("kind__code", "materials", "highlight", "location"),
        kind_field="kind__code",
        kind_words=True,
        without={"counter": "活动按类型、佐证和考勤由 rules.facts.facts_for 按月计数"},
    ),
    RecordType(
        code="reflections",
        name="学习体会",
        measure="篇",
        model="ledger.Reflection",
        english="Study reflection",
        columns=(
            Column("日期", "date", width=11, format=DATE_FORMAT),
            Column("作者", "person", write="person.name", width=10),
            Column("标题", "title", width=36),
            Column("关联活动", "activity", write="activity.topic", width=36),
            Column("备注", write=lambda r: "", width=16),
        ),
        sheet=Sheet(
            "学习体会",
            order=2,
            # oldest first; those of one day as the ledger lists them
            rows=lambda rows: sorted(rows.select_related("person", "activity"), key=lambda r: r.date),
        ),
        details=(),
        without={
            "import": "学习体会的正文不在工作表中，不能导入",
            "page": "学习体会由本人在“我的台账”中提交，随活动查看",
            "api": "学习体会不单独提供接口",
            "menu": "学习体会在“我的台账”中",
            "aggregate": "学习体会按人考核，不能以汇总数导入",
            "counter": "学习体会按人由 rules.facts.facts_for 计数",
        },
    ),
)  # fmt: skip
