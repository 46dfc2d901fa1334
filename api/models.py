"""What the API stores for itself: a read model of each agreement's related lists (api/readmodel.py)."""

from django.db import models


class AgreementLists(models.Model):
    """An agreement's related lists exactly as the API writes them, kept current on every write.

    A page of agreements otherwise gathers eight lists per row in correlated subqueries: profiled
    on PostgreSQL, compiling and running them was a third of a 20-row list (issue 3's 15 ms
    target). Storing them makes a page one plain join. ``api.readmodel`` refreshes a row whenever
    something it shows changes; a missing row is computed on the fly, so a reader never sees less.
    """

    # Deleted by the database with its agreement: a refresh run by the agreement's own cascade
    # (its aliases go first) may store the row again after Django would have deleted it.
    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.DB_CASCADE, primary_key=True, related_name="stored_lists"
    )
    lists = models.JSONField("相关列表")
    # Which layout of ``lists`` the row holds (api.readmodel.SHAPE). A row of another layout,
    # left by an older release, is read as missing until the next migrate rewrites it.
    shape = models.PositiveSmallIntegerField("格式版本")

    class Meta:
        verbose_name = verbose_name_plural = "协议相关列表（API 读模型）"

    def __str__(self):
        return f"lists of agreement {self.agreement_id}"
