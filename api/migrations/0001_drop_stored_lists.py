# Until issue 9 the API read related lists from copies stored in these tables; it now reads records
# through their querysets. The tables' own migration is gone, so a database that still has them
# loses them here and a new one never makes them.

from django.db import migrations

TABLES = ["api_agreementlists", "api_mechanismlists", "api_eventlists", "api_findinglists"]


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunSQL([f"DROP TABLE IF EXISTS {table}" for table in TABLES], migrations.RunSQL.noop)]
