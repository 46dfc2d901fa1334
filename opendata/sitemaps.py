"""sitemap.xml: every record page with the time it last changed (issue 13)."""

from django.contrib.sitemaps import Sitemap

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

RECORD_MODELS = (Agreement, Mechanism, Event, Region, Jurisdiction, Stage, Finding, Figure, Source)


class RecordSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {model._meta.model_name: RecordSitemap(model) for model in RECORD_MODELS}
