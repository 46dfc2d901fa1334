"""Migration operations that apply to one database vendor only.

Some schema exists only where the database can express it: PostgreSQL's tsvector columns, SQLite's
FTS5 table, an index whose columns sort NULLS LAST (SQLite accepts that in ORDER BY but not in
CREATE INDEX). The migration state stays the same for every vendor; only the SQL is skipped.
"""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL (with its reverse_sql) that only runs on one database vendor."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class VendorAddIndex(migrations.AddIndex):
    """AddIndex that creates (and on reverse drops) the index on one database vendor only."""

    def __init__(self, vendor: str, model_name, index):
        self.vendor = vendor
        super().__init__(model_name, index)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class VendorRemoveIndex(migrations.RemoveIndex):
    """RemoveIndex that drops (and on reverse creates) the index on one database vendor only."""

    def __init__(self, vendor: str, model_name, name):
        self.vendor = vendor
        super().__init__(model_name, name)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)
