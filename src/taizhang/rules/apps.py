from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "taizhang.rules"
    verbose_name = "要求与考核"

    def ready(self):
        from taizhang.core import stamp_notes
        from taizhang.ledger import hooks
        from taizhang.rules import counting
        from taizhang.rules.models import Framework, FrameworkAssignment, Requirement

        # the ledger asks whether a record counts, and why not, without importing the rules above it
        hooks.counting.register(
            Counting=counting.Counting,
            activity_standing=counting.activity_standing,
            needs_by_kind=counting.needs_by_kind,
            planned_standings=counting.planned_standings,
            rule_title=counting.rule_title,
            standing_rows=counting.standing_rows,
            standings_of=counting.standings_of,
            tally=counting.tally,
            with_evidence=counting.with_evidence,
        )

        # every kept result may read the frameworks (the compliance check, the to-do list, the summary)
        stamp_notes.watch_vocabulary(Framework, Requirement, FrameworkAssignment)
