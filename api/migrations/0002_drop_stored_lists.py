# The API read its related lists from these tables; it now reads the records through their querysets (issue 9).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_stored_lists'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='eventlists',
            name='record',
        ),
        migrations.RemoveField(
            model_name='findinglists',
            name='record',
        ),
        migrations.RemoveField(
            model_name='mechanismlists',
            name='record',
        ),
        migrations.DeleteModel(
            name='AgreementLists',
        ),
        migrations.DeleteModel(
            name='EventLists',
        ),
        migrations.DeleteModel(
            name='FindingLists',
        ),
        migrations.DeleteModel(
            name='MechanismLists',
        ),
    ]
