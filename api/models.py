"""What the API stores for itself: a read model of each record's related lists (api/readmodel.py)."""

from django.db import models


class StoredLists(models.Model):
    """A record's related lists exactly as the API writes them, kept current on every write.

    A page of records otherwise gathers its lists per row in correlated subqueries, and looks up
    the stage index and the cited sources: profiled on PostgreSQL, that was most of a 20-row
    list (issue 3's 15 ms target). Stored, a page is one plain join. ``api.readmodel``
    refreshes a row whenever something it shows changes; a missing row is computed on read, so a
    reader never sees less than the database holds.

    The link to the record has no database constraint and no cascade: deleting a record first
    deletes what depends on it (its aliases, citations, a scheme's parts), and each of those
    refreshes the record's row before the record itself goes. ``api.readmodel`` deletes the row
    once the record is gone; an orphan left by raw SQL is never read (rows are joined from their
    record) and the next migrate removes it.
    """

    lists = models.JSONField("相关列表")
    # Which layout of ``lists`` the row holds (api.readmodel.SHAPE). A row of another layout,
    # left by an older release, is read as missing until the next migrate rewrites it.
    shape = models.PositiveSmallIntegerField("格式版本")

    class Meta:
        abstract = True

    def __str__(self):
        return f"lists of {self.record_id}"


class AgreementLists(StoredLists):
    record = models.OneToOneField(
        "agreements.Agreement", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="stored_lists"
    )

    class Meta:
        verbose_name = verbose_name_plural = "协议相关列表（API 读模型）"


class MechanismLists(StoredLists):
    record = models.OneToOneField(
        "mechanisms.Mechanism", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="stored_lists"
    )

    class Meta:
        verbose_name = verbose_name_plural = "机制相关列表（API 读模型）"


class EventLists(StoredLists):
    record = models.OneToOneField(
        "timeline.Event", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="stored_lists"
    )

    class Meta:
        verbose_name = verbose_name_plural = "大事记相关列表（API 读模型）"


class FindingLists(StoredLists):
    record = models.OneToOneField(
        "findings.Finding", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="stored_lists"
    )

    class Meta:
        verbose_name = verbose_name_plural = "论点相关列表（API 读模型）"
