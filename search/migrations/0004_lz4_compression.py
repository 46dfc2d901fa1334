from django.db import migrations

from search.schema import PG_LZ4, PG_LZ4_REVERSE


def _has_lz4(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return bool(row and row[0])


def _run(statements):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not _has_lz4(connection):
            return  # SQLite, or a PostgreSQL built without lz4: pglz stays, only slower
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_dictionary_and_index_build")]

    operations = [migrations.RunPython(_run(PG_LZ4), _run(PG_LZ4_REVERSE))]
