"""An Atom feed of changed records, newest change first, so a reader can follow the portal (issue 13)."""

from heapq import nlargest

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .sitemaps import RECORD_MODELS

FEED_SIZE = 50


class ChangedRecordsFeed(Feed):
    feed_type = Atom1Feed
    title = "区域警务协作知识库 · 记录更新"
    subtitle = "最近新增或修改的记录（协议、机制、事件、区域、辖区、论点、数字、文献）。"
    link = "/"
    feed_url = "/feed/"

    def items(self):
        # The newest FEED_SIZE changes of each kind, then the newest FEED_SIZE of those.
        candidates = []
        for model in RECORD_MODELS:
            candidates += model.objects.order_by("-updated_at", "pk")[:FEED_SIZE]
        return nlargest(FEED_SIZE, candidates, key=lambda obj: (obj.updated_at, obj.slug))

    def item_title(self, item):
        return f"{item._meta.verbose_name}：{item}"

    def item_description(self, item):
        for name in ("summary", "description", "text", "counts", "note"):
            value = getattr(item, name, "")
            if value:
                return value
        return ""

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return getattr(item, "created_at", None) or item.updated_at

    def item_guid(self, item):
        return f"{item._meta.model_name}:{item.slug}"

    item_guid_is_permalink = False
