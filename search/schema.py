"""Database-specific search schema, shared by the migrations and by a full rebuild.

A full rebuild of a large index drops the GIN indexes, bulk-loads, and builds them again (one
sorted build is far faster than 100,000 incremental inserts); it recreates them from these same
statements, so the migrations stay the one definition of the schema.
"""


TABLE = "search_searchdocument"

# PostgreSQL: stored, weighted tsvectors in the `simple` configuration over the jieba words (the
# words are already normalised, so no stemming or stop list must touch them). `title_vector` holds
# the A words only: it is small, stays in the row, and lets a huge result set be cut to its title
# matches cheaply (search/backends.py).
PG_VECTOR_COLUMNS = [
    f"""ALTER TABLE {TABLE}
        ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms_a)) STORED,
        ADD COLUMN vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', terms_a), 'A') ||
            setweight(to_tsvector('simple', terms_b), 'B') ||
            setweight(to_tsvector('simple', terms_c), 'C')
        ) STORED""",
]
PG_VECTOR_COLUMNS_REVERSE = [f"ALTER TABLE {TABLE} DROP COLUMN vector, DROP COLUMN title_vector"]

PG_INDEXES = [
    f"CREATE INDEX search_doc_vector_gin ON {TABLE} USING gin (vector)",
    f"CREATE INDEX search_doc_title_vector_gin ON {TABLE} USING gin (title_vector)",
]
PG_INDEXES_REVERSE = ["DROP INDEX IF EXISTS search_doc_vector_gin", "DROP INDEX IF EXISTS search_doc_title_vector_gin"]

# SQLite: an external-content FTS5 table over the same three columns, kept in step by triggers,
# so every ORM write to the document table updates the full-text index in the same transaction.
SQLITE_FTS = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        terms_a, terms_b, terms_c,
        content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
    )""",
    f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO search_fts(rowid, terms_a, terms_b, terms_c) VALUES (new.id, new.terms_a, new.terms_b, new.terms_c);
    END""",
    f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms_a, terms_b, terms_c)
        VALUES ('delete', old.id, old.terms_a, old.terms_b, old.terms_c);
    END""",
    f"""CREATE TRIGGER search_fts_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms_a, terms_b, terms_c)
        VALUES ('delete', old.id, old.terms_a, old.terms_b, old.terms_c);
        INSERT INTO search_fts(rowid, terms_a, terms_b, terms_c) VALUES (new.id, new.terms_a, new.terms_b, new.terms_c);
    END""",
    # Index whatever rows already exist (a database migrated with documents in it).
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_FTS_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

# PostgreSQL: the large columns (a summary's text, its words and its 4 KB vector) are TOASTed;
# lz4 compresses them several times faster than the default pglz (measured: inserting 10,000
# documents 5.2 s → 2.2 s), which is most of a full rebuild's database time. PostgreSQL 14+ built
# with lz4; migration 0004 leaves the columns as they are on a server without it.
PG_LZ4_COLUMNS = ("body", "terms_a", "terms_b", "terms_c", "vector", "title_vector")
PG_LZ4 = [f"ALTER TABLE {TABLE} " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION lz4" for c in PG_LZ4_COLUMNS)]
PG_LZ4_REVERSE = [f"ALTER TABLE {TABLE} " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION default" for c in PG_LZ4_COLUMNS)]
