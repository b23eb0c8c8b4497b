from django.db import migrations, models

from taizhang.ledger import rollup


def uninstall(apps, schema_editor):
    # SQLite adds a column by rebuilding the table, which the rollup's triggers would not survive:
    # they are taken off around the change and put back (the figures do not change).
    rollup.uninstall(schema_editor.connection)


def install(apps, schema_editor):
    rollup.install(schema_editor.connection)


FIELD = dict(
    blank=True,
    db_default="",
    help_text="活动确在法定节假日开展时填写原因（如：国庆升旗仪式、防汛值守）",
    max_length=200,
    verbose_name="节假日开展说明",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_activity_unit_date_live"),
    ]

    operations = [
        migrations.RunPython(uninstall, install),
        migrations.AddField(model_name="activity", name="holiday_reason", field=models.CharField(**FIELD)),
        migrations.AddField(
            model_name="historicalactivity", name="holiday_reason", field=models.CharField(**FIELD)
        ),
        migrations.RunPython(install, uninstall),
    ]
