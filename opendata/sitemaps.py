"""The sitemap: an index at /sitemap.xml, one paged sitemap per record section (issue 13).

One flat sitemap over every record grew with the agreements without bound (about 0.5 s and 1 MB
with 10,000 of them), and the protocol caps a sitemap at 50,000 URLs anyway. The index costs two
cheap queries per section (a COUNT for its pages and a MAX for its lastmod); a section page reads
at most ``limit`` rows. Both are cached per dataset revision (PORTAL_CACHED_PATHS).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

RECORD_MODELS = (Agreement, Mechanism, Event, Region, Jurisdiction, Stage, Finding, Figure, Source)


class RecordSitemap(Sitemap):
    model = None
    # Well under the protocol's 50,000: a page stays a fast, modest response (~0.5 MB).
    limit = 5000

    def items(self):
        # Ordered by pk so that ?p=N pages are stable and every record is on exactly one page.
        return self.model.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # Django's default would load every item to take the max; one aggregate does it in the database.
        return self.model.objects.aggregate(latest=Max("updated_at"))["latest"]


# Classes, not instances: Django instantiates a callable per request, and Sitemap keeps per-request
# state (latest_lastmod) on the instance, which a shared instance would carry between requests.
SITEMAPS = {
    model._meta.model_name: type(f"{model.__name__}Sitemap", (RecordSitemap,), {"model": model})
    for model in RECORD_MODELS
}
