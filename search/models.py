"""One search document per searchable record, kept current by signals (search/signals.py).

The segmented, weighted text lives here rather than on each record's table: one narrow table
serves cross-type search, facets and every list endpoint's ``?search=``, and its vendor-specific
index (PostgreSQL tsvector + GIN, SQLite FTS5) is defined once, in this app's migrations.

Columns ``terms_a``/``terms_b``/``terms_c`` hold space-separated jieba words (each once) for the
three weights: A titles and aliases, B summaries and descriptions, C citation quotes and labels.
On PostgreSQL a stored generated column ``vector`` and a smaller ``title_vector`` are computed from
them (migration 0002); on SQLite an external-content FTS5 table ``search_fts`` mirrors them through
triggers (migration 0003).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Collate


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "协议与文件"
        MECHANISM = "mechanism", "协作机制"
        EVENT = "event", "大事记"
        REGION = "region", "协作区域"
        JURISDICTION = "jurisdiction", "辖区"
        STAGE = "stage", "发展阶段"
        FINDING = "finding", "论点"
        FIGURE = "figure", "数据"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    slug = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    # The record's readable text (aliases, summary, quotes), for snippets; never scanned by queries.
    body = models.TextField(blank=True)
    terms_a = models.TextField(blank=True)
    terms_b = models.TextField(blank=True)
    terms_c = models.TextField(blank=True)
    # Facets: the record's own regions, its derived development stage, its year.
    regions = models.ManyToManyField("regions.Region", related_name="+", blank=True)
    stage = models.ForeignKey("regions.Stage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_document_one_per_record")
        ]
        indexes = [models.Index(fields=["kind"], name="search_doc_kind")]

    def __str__(self):
        return f"{self.kind}:{self.slug}"


class DictionaryWord(models.Model):
    """One word of the domain dictionary: a name the knowledge base uses, kept whole by the segmenter.

    The dictionary is stored (not harvested from every record's text when a process starts) so
    that every process segments with the same words and a new process loads it in one query.
    ``version`` is the dictionary version that added the word: a process that has version N loads
    only the words added after N (search/text.py).
    """

    word = models.CharField(max_length=12, unique=True)
    version = models.PositiveIntegerField(db_index=True)

    def __str__(self):
        return self.word


class SynonymName(models.Model):
    """A name of a record that has several (a region's name, full name and aliases), for query expansion.

    Rows with the same ``group`` name the same thing: 「川渝」 and 「成渝」 are both names of region
    cy, so a query for one also finds records that use the other (issue 11). Only the records' own
    names and aliases are listed, never a hand-made synonym list.
    """

    group = models.CharField(max_length=80)
    word = models.CharField(max_length=120)
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "word"], name="search_synonym_once_per_group")]
        indexes = [models.Index(fields=["version"], name="search_synonym_version")]


class DictionaryState(models.Model):
    """The one row saying which dictionary version is current (id 1).

    ``version`` moves whenever a word or a synonym is added or removed. ``base_version`` is the
    last version that removed something: a process that loaded a version before it cannot just add
    the new words and reloads the segmenter from scratch.
    """

    version = models.PositiveIntegerField(default=0)
    base_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class IndexBuild(models.Model):
    """What built the search documents now stored (id 1): the segmenter and the dictionary version.

    An index cut by one segmenter must not be queried with another (rjieba's search mode emits a few
    words Python jieba does not), so search/checks.py compares this row with the running process.
    """

    segmenter = models.CharField(max_length=40)
    dictionary_version = models.PositiveIntegerField()
    documents = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField()
    seconds = models.FloatField(null=True, blank=True)

    def __str__(self):
        return f"{self.segmenter} / dictionary v{self.dictionary_version}"


class Suggestion(models.Model):
    """A key a user may type (a name, its full pinyin, its initials) and the record it names.

    ``/api/v1/search/suggest/`` matches keys by prefix with a B-tree range scan
    (``key >= q AND key < q + U+FFFF``) in code-point order: SQLite's default (BINARY) collation,
    and on PostgreSQL an index on ``key COLLATE "C"`` (a database's own collation may not sort by
    code point, and then the range would be wrong), created per vendor in migrations 0003 and 0005.
    ``rank`` orders the kinds of key: 0 a Chinese name, 1 full pinyin, 2 initials (issue 11:
    pinyin matches rank below Chinese ones); the index is (rank, key, document), so each kind is
    one short index range read in the order the query asks for. The document is in the index
    because a query ordered by a column the index lacks must read and sort every key in the range
    before its LIMIT: 3,055 keys for 「方」 at 100,000 records, 20 ms instead of 0.2 ms.
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    rank = models.PositiveSmallIntegerField()
    # The name as written, shown to the user; the document's title when the key is its title.
    name = models.CharField(max_length=300)

    class Meta:
        indexes = [
            models.Index(fields=["rank", "key", "document"], name="search_suggestion_prefix"),
            models.Index("rank", Collate("key", "C"), "document", name="search_suggestion_prefix_c"),
        ]
