from django.db import migrations

from taizhang.ledger import rollup


def install(apps, schema_editor):
    # The rollup's triggers as ledger.rollup now makes them (on SQLite a change moves only its
    # activity between buckets; on PostgreSQL a statement recomputes each bucket it touches once).
    # The figures they keep are the same, so nothing is recomputed here.
    rollup.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_english_names"),
    ]

    # Going back keeps these triggers: they keep the same figures under the schema before.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
