from django.db import migrations, models
from django.utils import timezone


def first_revision(apps, schema_editor):
    apps.get_model("records", "DatasetRevision").objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DatasetRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0, verbose_name="修订号")),
                ("changed_at", models.DateTimeField(verbose_name="修改时间")),
            ],
            options={"verbose_name": "数据集修订号", "verbose_name_plural": "数据集修订号"},
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
    ]
