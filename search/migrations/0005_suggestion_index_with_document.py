"""The suggestion prefix index gains the document column, the query's tie-break, so a prefix with
thousands of keys is read in index order up to its LIMIT instead of sorted whole (issue 11)."""

from django.db import migrations, models
from django.db.models.functions import Collate

from records.migration_operations import VendorAddIndex, VendorRemoveIndex


class Migration(migrations.Migration):
    dependencies = [("search", "0004_lz4_compression")]

    operations = [
        VendorRemoveIndex("sqlite", model_name="suggestion", name="search_suggestion_key"),
        VendorRemoveIndex("postgresql", model_name="suggestion", name="search_suggestion_key_c"),
        VendorAddIndex(
            "sqlite", model_name="suggestion",
            index=models.Index(fields=["rank", "key", "document"], name="search_suggestion_prefix"),
        ),
        VendorAddIndex(
            "postgresql", model_name="suggestion",
            index=models.Index("rank", Collate("key", "C"), "document", name="search_suggestion_prefix_c"),
        ),
    ]
