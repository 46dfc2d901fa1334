"""Two search backends behind one small interface, chosen by the database vendor.

``backend().search(plan, filters)`` returns the best ``RESULT_CAP`` hits, best first, as
(document id, content type id, object id, score). Scores are "higher is better" on both vendors.

PostgreSQL
    ``vector`` (A/B/C weighted, `simple` configuration over the jieba words) is GIN-indexed and
    matched with a tsquery built here from the segmented words, each quoted: user input never
    reaches the tsquery parser as syntax, so no input can raise a syntax error. Ranking is
    ``ts_rank`` with weights {D 0.1, C 0.2, B 0.4, A 1.0} over an OR of all query words, so a
    record matching more words ranks higher and a title (A) match beats a body match.

    Designed past the traps measured at 100,000 records (issue 4):
    * Ranking and counting tens of thousands of matches: at most ``RESULT_CAP`` candidates are
      ranked. Candidates are taken from title matches first (``title_vector``: A words only, a
      few hundred bytes, kept in the row and GIN-indexed), then from body matches, so for a
      frequent word the ranked set is the records it names in their titles. The count a caller
      sees is the number of ranked candidates: below ``RESULT_CAP`` it is exact, at
      ``RESULT_CAP`` it means "at least RESULT_CAP" (the API documents this rule). Body matches
      are only looked up when title matches leave room under the cap.
    * Vectors pushed out to TOAST: matching never reads ``vector`` (GIN answers ``@@`` without
      a recheck); at most ``EXACT_RANK_LIMIT`` candidates are ranked on their full (TOASTed)
      vectors, larger candidate sets on ``title_vector``, which stays in the row; vectors store
      each word once per field, keeping them compact.
    * The planner walking the table: no ``ORDER BY id LIMIT``, and each candidate part is fenced
      (``OFFSET 0``) so that a LIMIT cannot tempt the planner into a scan that de-TOASTs vectors;
      candidates always come from the GIN indexes and are ordered by rank.

SQLite
    An FTS5 table (external content, kept by triggers) over the same three columns, matched with
    an FTS5 expression of quoted words and **ordered by bm25()** with the same weights (10/4/2).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.db import connection, connections, router

from .text import EXACT_PREFIX, QueryPlan

# The most records one search ranks and returns. Pages beyond it are not reachable; a count equal
# to it means "at least this many" (web search engines apply the same rule).
RESULT_CAP = 1000

# Up to this many candidates are ranked on their full vectors (titles, summaries, quotes); a larger
# candidate set is ranked on its small in-row title vectors only, so a common word never makes
# PostgreSQL de-TOAST and decompress a thousand 4 KB vectors (measured: ~40 ms at 100,000 records).
# Every record of the curated dataset's searches falls under it; title still beats body either way.
EXACT_RANK_LIMIT = 200

# ts_rank weights, in PostgreSQL's {D, C, B, A} order; bm25() takes the same ratios per column.
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
FTS5_WEIGHTS = (10.0, 4.0, 2.0)


@dataclass(frozen=True)
class Hit:
    doc_id: int
    content_type_id: int
    object_id: int
    score: float


@dataclass
class Filters:
    content_type_ids: list[int] | None = None
    kinds: list[str] | None = None
    region_ids: list[int] | None = None
    stage_ids: list[int] | None = None
    year_from: int | None = None
    year_to: int | None = None
    # (sql, params) of a subquery of object ids the hits must belong to (a caller's filtered queryset).
    object_ids_sql: tuple[str, tuple] | None = None

    def sql(self, alias: str = "d") -> tuple[str, list]:
        clauses, params = [], []
        if self.content_type_ids is not None:
            clauses.append(f"{alias}.content_type_id IN ({', '.join(['%s'] * len(self.content_type_ids)) or 'NULL'})")
            params += self.content_type_ids
        if self.kinds is not None:
            clauses.append(f"{alias}.kind IN ({', '.join(['%s'] * len(self.kinds)) or 'NULL'})")
            params += self.kinds
        if self.region_ids is not None:
            marks = ", ".join(["%s"] * len(self.region_ids)) or "NULL"
            clauses.append(
                f"{alias}.id IN (SELECT searchdocument_id FROM search_searchdocument_regions WHERE region_id IN ({marks}))"
            )
            params += self.region_ids
        if self.stage_ids is not None:
            clauses.append(f"{alias}.stage_id IN ({', '.join(['%s'] * len(self.stage_ids)) or 'NULL'})")
            params += self.stage_ids
        if self.year_from is not None:
            clauses.append(f"{alias}.year >= %s")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append(f"{alias}.year <= %s")
            params.append(self.year_to)
        if self.object_ids_sql is not None:
            sub, sub_params = self.object_ids_sql
            clauses.append(f"{alias}.object_id IN ({sub})")
            params += list(sub_params)
        return (" AND ".join(clauses) or "TRUE"), params


class SearchBackend(ABC):
    vendor = ""

    def search(self, plan: QueryPlan, filters: Filters | None = None, limit: int = RESULT_CAP) -> list[Hit]:
        """Records having every query word (or, for a word, all its parts), best first.

        No "any word" fallback: 「琥珀行动」 must not answer with every record about some 行动.
        """
        filters = filters or Filters()
        if not plan:
            return []
        return self._search(plan, filters, limit, require_all=True)

    @abstractmethod
    def _search(self, plan, filters, limit, require_all) -> list[Hit]:
        """The vendor's query: matching documents as hits, best first, at most ``limit``."""

    # How a key is compared in code-point order (search.Suggestion explains why it must be).
    CODE_POINT_ORDER = ""

    def suggestion_rows(self, key: str, ranks, per_rank: int) -> list[tuple]:
        """(rank, document id, name, kind, slug, title) of up to ``per_rank`` keys of each rank that
        start with ``key``, each rank in key order: one index range per rank, in one statement.

        Written in SQL rather than the ORM because building three ordered, sliced querysets and their
        union costs more than the database's answer (measured ~2 ms against ~1 ms at 100,000 records),
        and the suggestion endpoint's budget is 10 ms (issue 11).
        """
        key_expr = f"s.key{self.CODE_POINT_ORDER}"
        part = (
            f"SELECT * FROM (SELECT s.rank, s.document_id, s.name FROM search_suggestion s "
            f"WHERE s.rank = %s AND {key_expr} >= %s AND {key_expr} < %s "
            f"ORDER BY {key_expr}, s.document_id LIMIT %s) r{{n}}"
        )
        union = " UNION ALL ".join(part.format(n=n) for n in range(len(ranks)))
        sql = (
            f"SELECT k.rank, k.document_id, k.name, d.kind, d.slug, d.title FROM ({union}) k "
            f"JOIN search_searchdocument d ON d.id = k.document_id"
        )
        params = [value for rank in ranks for value in (rank, key, key + "\uffff", per_rank)]
        with read_connection().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class QueryLanguageBackend(SearchBackend):
    """A database with a full-text query language: the match expression is written once for all of them."""

    # How this vendor's query language writes the two boolean operators and a quoted word (``term``).
    AND = OR = ""

    @staticmethod
    @abstractmethod
    def term(word: str) -> str:
        """``word`` quoted as one term of the vendor's query language."""

    @classmethod
    def match_query(cls, plan: QueryPlan, require_all: bool = True) -> str:
        """Every query word (or all of its parts); the whole name as an alternative, which
        bm25() and ts_rank only score when it is part of the expression."""
        clauses = []
        for word in plan.words:
            alternatives = [cls.term(word.word)]
            if word.parts:
                alternatives.append(f"({cls.AND.join(cls.term(p) for p in word.parts)})")
            # Another name of the same record stands for the word (「川渝」 finds 成渝's records).
            alternatives += [
                cls.term(alt[0]) if len(alt) == 1 else f"({cls.AND.join(cls.term(t) for t in alt)})"
                for alt in word.synonyms
            ]
            clauses.append(alternatives[0] if len(alternatives) == 1 else f"({cls.OR.join(alternatives)})")
        expression = (cls.AND if require_all else cls.OR).join(clauses)
        for key in plan.exact_keys:
            expression = f"({expression}){cls.OR}{cls.term(key)}"
        return expression


def read_connection():
    """The connection this request reads from: a read replica when the router chose one (issue 14)."""
    from .models import SearchDocument

    return connections[router.db_for_read(SearchDocument)]


def _pg_term(term: str) -> str:
    # Words contain only letters, digits and CJK characters (text._is_word); quoting is belt and braces.
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend(QueryLanguageBackend):
    vendor = "postgresql"
    AND, OR = " & ", " | "
    # The database's own collation may not sort by code point; the suggestion index is on this.
    CODE_POINT_ORDER = ' COLLATE "C"'
    term = staticmethod(_pg_term)

    @staticmethod
    def rank_query(plan: QueryPlan) -> str:
        return " | ".join(_pg_term(t) for t in [*plan.own_terms, *plan.exact_keys])

    @staticmethod
    def synonym_rank_query(plan: QueryPlan) -> str:
        # to_tsquery('') would be an error; a term no document has ranks everything 0 alike.
        return " | ".join(_pg_term(t) for t in plan.synonym_terms) or _pg_term(EXACT_PREFIX)

    def _search(self, plan, filters, limit, require_all):
        where, params = filters.sql("d")
        match = self.match_query(plan, require_all)
        rank = self.rank_query(plan)
        # Candidates: records matching in their titles, then records matching only in their bodies,
        # under one LIMIT, so the body index is not even read when titles fill the cap (a frequent
        # word). Each part is fenced with OFFSET 0: a LIMIT seen inside it makes the planner
        # expect early hits and walk the table, de-TOASTing every 4 KB vector it passes
        # (measured: 28 ms for a medium word at 100,000 records); fenced, it uses the GIN bitmap.
        sql = f"""
            WITH candidates AS MATERIALIZED (
                SELECT id FROM (
                    (SELECT t.id FROM (
                        SELECT d.id FROM search_searchdocument d
                        WHERE d.title_vector @@ to_tsquery('simple', %s) AND {where}
                        OFFSET 0) t)
                    UNION ALL
                    (SELECT b.id FROM (
                        SELECT d.id FROM search_searchdocument d
                        WHERE d.vector @@ to_tsquery('simple', %s)
                          AND NOT (d.title_vector @@ to_tsquery('simple', %s)) AND {where}
                        OFFSET 0) b)
                ) found
                LIMIT %s
            )
            SELECT d.id, d.content_type_id, d.object_id,
                   CASE WHEN (SELECT count(*) FROM candidates) <= %s
                        THEN ts_rank('{PG_WEIGHTS}', d.vector, to_tsquery('simple', %s))
                        ELSE ts_rank('{PG_WEIGHTS}', d.title_vector, to_tsquery('simple', %s))
                   END AS score,
                   CASE WHEN (SELECT count(*) FROM candidates) <= %s
                        THEN ts_rank('{PG_WEIGHTS}', d.vector, to_tsquery('simple', %s))
                        ELSE ts_rank('{PG_WEIGHTS}', d.title_vector, to_tsquery('simple', %s))
                   END AS synonym_score
            FROM candidates c JOIN search_searchdocument d ON d.id = c.id
            ORDER BY score DESC, synonym_score DESC, d.id
            LIMIT %s
        """
        synonyms = self.synonym_rank_query(plan)
        args = [
            match, *params, match, match, *params, limit,
            EXACT_RANK_LIMIT, rank, rank, EXACT_RANK_LIMIT, synonyms, synonyms, limit,
        ]
        with read_connection().cursor() as cursor:
            cursor.execute(sql, args)
            return [Hit(*row[:3], float(row[3])) for row in cursor.fetchall()]


def _fts_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend(QueryLanguageBackend):
    vendor = "sqlite"
    AND, OR = " AND ", " OR "
    term = staticmethod(_fts_term)

    def _search(self, plan, filters, limit, require_all):
        where, params = filters.sql("d")
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        # As on PostgreSQL, the user's own words (and exact names) rank first; the words of other
        # names standing for them only order the ties (``own`` is NULL for a synonym-only match).
        own = self.OR.join(self.term(t) for t in [*plan.own_terms, *plan.exact_keys])
        sql = f"""
            SELECT d.id, d.content_type_id, d.object_id, -bm25(search_fts, {weights}) AS score
            FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid
            LEFT JOIN (
                SELECT rowid AS id, bm25(search_fts, {weights}) AS rank FROM search_fts WHERE search_fts MATCH %s
            ) own ON own.id = d.id
            WHERE search_fts MATCH %s AND {where}
            ORDER BY coalesce(own.rank, 0), bm25(search_fts, {weights}), d.id
            LIMIT %s
        """
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [own, self.match_query(plan, require_all), *params, limit])
            return [Hit(*row[:3], float(row[3])) for row in cursor.fetchall()]


class SubstringBackend(SearchBackend):
    """Any other database: the search documents' words, matched as substrings (no ranking index)."""

    vendor = "other"

    def _search(self, plan, filters, limit, require_all):
        from django.db.models import Q

        from .models import SearchDocument

        qs = SearchDocument.objects.all()
        combined = Q()
        for word in plan.words:
            q = Q(terms_a__contains=word.word) | Q(terms_b__contains=word.word) | Q(terms_c__contains=word.word)
            combined = (combined & q) if require_all else (combined | q)
        if filters.content_type_ids is not None:
            qs = qs.filter(content_type_id__in=filters.content_type_ids)
        if filters.kinds is not None:
            qs = qs.filter(kind__in=filters.kinds)
        if filters.region_ids is not None:
            qs = qs.filter(regions__in=filters.region_ids).distinct()
        if filters.stage_ids is not None:
            qs = qs.filter(stage_id__in=filters.stage_ids)
        if filters.year_from is not None:
            qs = qs.filter(year__gte=filters.year_from)
        if filters.year_to is not None:
            qs = qs.filter(year__lte=filters.year_to)
        rows = qs.filter(combined).values_list("id", "content_type_id", "object_id", "terms_a")[:limit]
        hits = [Hit(i, ct, o, float(sum(w.word in a for w in plan.words))) for i, ct, o, a in rows]
        return sorted(hits, key=lambda h: (-h.score, h.doc_id))


def backend(vendor: str | None = None) -> SearchBackend:
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite":
        return SqliteBackend()
    return SubstringBackend()
