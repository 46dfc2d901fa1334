"""The full-text index itself, which Django's model layer cannot describe: per vendor, reversible."""

from django.db import migrations

from records.migration_operations import VendorRunSQL
from search.schema import (
    PG_INDEXES,
    PG_INDEXES_REVERSE,
    PG_VECTOR_COLUMNS,
    PG_VECTOR_COLUMNS_REVERSE,
    SQLITE_FTS,
    SQLITE_FTS_REVERSE,
)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorRunSQL("postgresql", PG_VECTOR_COLUMNS, PG_VECTOR_COLUMNS_REVERSE),
        VendorRunSQL("postgresql", PG_INDEXES, PG_INDEXES_REVERSE),
        VendorRunSQL("sqlite", SQLITE_FTS, SQLITE_FTS_REVERSE),
    ]
