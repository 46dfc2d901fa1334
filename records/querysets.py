"""Reads shared by the dated, regional records (agreements, mechanisms, events)."""

from django.db.models import Q

from records.dates import PartialDateQuerySet


class RegionalRecordQuerySet(PartialDateQuerySet):
    def in_region(self, region):
        """Records of a region (a Region or its slug) or of any region inside it."""
        # The region model is reached through the relation, so this app need not import ``regions``.
        regions = self.model._meta.get_field("regions").related_model
        return self._linked_to(region__in=regions.objects.with_descendants(region))

    def in_jurisdiction(self, slug: str):
        """Records of any region the jurisdiction belongs to."""
        return self._linked_to(region__members__slug=slug)

    def _linked_to(self, **conditions):
        # A subquery, not a join: a record in two matching regions must not appear twice. It reads
        # the link table alone; going through the records' own table again made PostgreSQL scan
        # all of it to count a region's 5,000 agreements (7.5 ms of a 20-row page, measured).
        field = self.model._meta.get_field("regions")
        links = field.remote_field.through.objects.filter(**conditions)
        return self.filter(pk__in=links.values(f"{field.m2m_field_name()}_id"))

    def in_stage(self, stage):
        """Records whose derived stage is this one: in the stage's region (or inside it) and within its years."""
        qs = self.in_region(stage.region_id and stage.region.slug)
        in_years = Q(date_year__isnull=False)
        if stage.start_year is not None:
            in_years &= Q(date_year__gte=stage.start_year)
        if stage.end_year is not None:
            in_years &= Q(date_year__lte=stage.end_year)
        condition = in_years
        if stage.start_year is None and stage.end_year is not None:
            condition |= Q(date_before__isnull=False, date_before__lte=stage.end_year + 1)
        return qs.filter(condition)
