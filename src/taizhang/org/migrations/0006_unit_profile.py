
from django.db import migrations, models


def profiles_from_names(apps, schema_editor):
    """Units already recorded get the profile their name makes obvious; the rest wait for a person."""
    from taizhang.org.models import profile_from_name

    Unit = apps.get_model("org", "Unit")
    for unit in Unit.objects.filter(profile="").only("pk", "name"):
        profile = profile_from_name(unit.name)
        if profile:
            Unit.objects.filter(pk=unit.pk).update(profile=profile)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0005_one_time_password'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalunit',
            name='profile',
            field=models.CharField(blank=True, choices=[('party_organ', '党委部门'), ('government', '政府部门'), ('cppcc', '政协机关'), ('school', '学校'), ('hospital', '医院'), ('media', '融媒体（广播电视）'), ('town', '乡镇'), ('community', '社区（村）'), ('enterprise', '企业')], help_text='学校、医院、乡镇、社区等：工作总结按单位类别的口吻和业务来写', max_length=20, verbose_name='单位类别'),
        ),
        migrations.AddField(
            model_name='unit',
            name='profile',
            field=models.CharField(blank=True, choices=[('party_organ', '党委部门'), ('government', '政府部门'), ('cppcc', '政协机关'), ('school', '学校'), ('hospital', '医院'), ('media', '融媒体（广播电视）'), ('town', '乡镇'), ('community', '社区（村）'), ('enterprise', '企业')], help_text='学校、医院、乡镇、社区等：工作总结按单位类别的口吻和业务来写', max_length=20, verbose_name='单位类别'),
        ),
        migrations.RunPython(profiles_from_names, migrations.RunPython.noop),
    ]
