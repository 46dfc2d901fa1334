"""Reads shared by every cited record, and by the dated, regional ones (agreements, mechanisms, events).

This is the one read path: a page and an API response of a kind of record call the same queryset
methods (``with_related()`` on each app's queryset, built from these), so what a record shows is
decided in one place. Related lists are gathered in the page query as JSON arrays
(``records.jsonagg``); what needs a small whole table (the cited sources, the stage index) is
finished in Python once per fetch, the way ``prefetch_related`` finishes its records.

The models of other apps are reached through relations (``_meta.get_field(...).related_model``),
never imported: this app sits below every other.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import batched

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable

from records.dates import PartialDateQuerySet, date_order
from records.jsonagg import json_list

# finish(records, memo): completes a batch of fetched records in place; ``memo`` is shared by the
# batches of one fetch, so a table loaded for the first batch is not loaded again.
Finisher = Callable[[list, dict], None]

# Records finished together in one go when a fetch is streamed (CSV): one lookup query per batch at most.
FINISH_BATCH = 1000


class FinishingIterable(ModelIterable):
    def __iter__(self):
        finishers = self.queryset._finishers
        if not finishers:
            yield from super().__iter__()
            return
        memo: dict = {}
        for batch in batched(super().__iter__(), FINISH_BATCH):
            records = list(batch)
            for finish in finishers:
                finish(records, memo)
            yield from records


class CitedRecordQuerySet(models.QuerySet):
    """Reads every cited record shares: its citations, with their sources, in the page query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._iterable_class = FinishingIterable
        self._finishers: tuple[Finisher, ...] = ()

    def _clone(self):
        clone = super()._clone()
        clone._finishers = self._finishers
        return clone

    def page_of_each_group(self, group_by: tuple[str, ...], order_by: list, number: int, size: int):
        """Page ``number`` (from 1, ``size`` records) of every group of records that share ``group_by``'s values.

        For the overview pages that set groups side by side (findings by paper and kind,
        mechanisms by category): a bounded page of each group whatever the data size, each record
        with its ``position`` (from 1) in its group. ROW_NUMBER() numbers the groups on the bare
        table first (one query, run now); ranking the annotated queryset itself computed every
        record's JSON subqueries before the page was cut (4× slower at ten times the records,
        measured), and so did a ``pk IN (ranked subquery)``, which PostgreSQL planned as a scan.
        """
        start = (number - 1) * size
        position = Window(RowNumber(), partition_by=[F(name) for name in group_by], order_by=order_by)
        ranked = (
            self.order_by().values("pk").annotate(position=position)
            .filter(position__gt=start, position__lte=start + size).values_list("pk", "position")
        )
        positions = dict(ranked)

        def set_positions(records, memo):
            for record in records:
                record.position = positions[record.pk]

        return self.filter(pk__in=list(positions)).finished_with(set_positions)

    def group_sizes(self, *group_by: str) -> dict[tuple, int]:
        """{(values of ``group_by``): records}, in one aggregate query."""
        rows = self.order_by().values_list(*group_by).annotate(n=Count("pk")).values_list(*group_by, "n")
        return {tuple(row[:-1]): row[-1] for row in rows}

    def finished_with(self, finish: Finisher):
        """A copy whose fetched records are completed by ``finish`` (see ``Finisher``), once per fetch."""
        clone = self._chain()
        if finish not in clone._finishers:
            clone._finishers = (*clone._finishers, finish)
        return clone

    def rows_between(self, start: int, stop: int) -> list:
        """The records at positions ``start`` to ``stop`` of this ordering (a page), fully read.

        A plain ``[start:stop]`` slice is ``LIMIT … OFFSET start``, and PostgreSQL computes the
        select list — here the related lists gathered as JSON, eight subqueries a row — for every
        row the OFFSET skips: page 500 of the agreements read 10,000 rows' lists to show 20 (470 ms
        under the load test's data, issue 14). The positions are found on the ids alone, and the
        lists are gathered for the page's rows only. A queryset that answers slices itself (search
        results in rank order, search/query.py) keeps its own way.
        """
        if type(self).__getitem__ is not models.QuerySet.__getitem__ or not self.ordered:
            return list(self[start:stop])
        return list(self.filter(pk__in=self.values("pk")[start:stop]))

    def with_citations(self):
        """``citations_list``: the record's citations as ``{source, locator, quote, cites}``, sources as ``{id, slug, citation}``.

        Gathered with source ids, which are resolved from one read of the (small) sources table per
        fetch: a page repeats the same few sources in every record, and carrying their text in
        every row cost more than that one query (measured).
        """
        citation = self.model._meta.get_field("citations").related_model
        content_type = ContentType.objects.get_for_model(self.model)
        gathered = json_list(
            citation.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by("order", "pk"),
            source="source_id",
            cites="cites_id",
            locator="locator",
            quote="quote",
        )
        return self.annotate(citations_list=gathered).finished_with(_resolve_cited_sources)


def _resolve_cited_sources(records: list, memo: dict) -> None:
    if not records:
        return
    if "sources" not in memo:
        source = records[0]._meta.get_field("citations").related_model._meta.get_field("source").related_model
        memo["sources"] = {
            pk: {"id": pk, "slug": slug, "citation": citation}
            for pk, slug, citation in source.objects.values_list("id", "slug", "citation")
        }
    sources = memo["sources"]
    for record in records:
        # In place, so each citation keeps the key order the database wrote (see api.serializers.Gathered).
        for c in record.citations_list:
            c["source"] = sources[c["source"]]
            c["cites"] = sources[c["cites"]] if c["cites"] else None


def refs(queryset, label: str):
    """A JSON list of small ``{slug, <label>}`` references to the queryset's records, in its order."""
    return json_list(queryset, slug="slug", **{label: label})


class RegionalRecordQuerySet(CitedRecordQuerySet, PartialDateQuerySet):
    def in_region(self, region):
        """Records of a region (a Region or its slug) or of any region inside it."""
        return self._linked_to(region__in=self._region_model().objects.with_descendants(region))

    def in_jurisdiction(self, slug: str):
        """Records of any region the jurisdiction belongs to."""
        return self._linked_to(region__members__slug=slug)

    def _region_model(self):
        return self.model._meta.get_field("regions").related_model

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

    def counts_by_region(self, regions, group_by: str) -> dict[tuple[int, object], int]:
        """{(region id, value of ``group_by``): records} for each of ``regions``, in one aggregate query.

        A region counts each record linked to it or to any region inside it once (``?region=`` on
        the list pages and the API includes sub-regions the same way, so a count equals the length
        of the list it links to). ``regions`` carry ``descendant_ids`` (``Region.objects.tree()``).
        The query has one conditional count per region over the link table: a dozen regions, one
        query, whatever the number of records.
        """
        regions = list(regions)
        if not regions:
            return {}
        field = self.model._meta.get_field("regions")
        own = field.m2m_field_name()
        links = field.remote_field.through.objects.filter(**{f"{own}__in": self.values("pk")})
        columns = {
            f"r{region.pk}": models.Count(f"{own}_id", distinct=True, filter=Q(region_id__in=region.descendant_ids))
            for region in regions
        }
        counts = {}
        for row in links.values(group=models.F(f"{own}__{group_by}")).annotate(**columns).order_by():
            for region in regions:
                if row[f"r{region.pk}"]:
                    counts[(region.pk, row["group"])] = row[f"r{region.pk}"]
        return counts

    def first_by_date(self, regions, limit: int) -> dict[int, list]:
        """{region id: its first ``limit`` records in date order} for each of ``regions``, in one query.

        A region has the records linked to it or to any region inside it, as ``in_region`` and
        ``counts_by_region`` read them (``regions`` carry ``descendant_ids``), so a record may be
        in several lists (京津冀 and its 通武廊). One sliced part per region, united: at most
        ``limit`` rows a region are read into Python, whatever the number of records (listing every
        one made the comparison page 0.4 s with 10,000 agreements). ``compared_position`` numbers a
        part's rows in date order; the united rows are sorted on it, as a union keeps no order.
        """
        regions = list(regions)
        if not regions:
            return {}
        parts = [
            self._linked_to(region__in=region.descendant_ids)
            .annotate(
                compared_region=models.Value(region.pk, output_field=models.IntegerField()),
                compared_position=Window(RowNumber(), order_by=[*date_order(), F("pk").asc()]),
            )
            .order_by_date()[:limit]
            for region in regions
        ]
        found: dict[int, list] = {region.pk: [] for region in regions}
        for record in parts[0].union(*parts[1:], all=True).order_by("compared_region", "compared_position"):
            found[record.compared_region].append(record)
        return found

    def with_regions(self):
        """``regions_list``: the record's regions as ``{id, slug, name}``, in link order."""
        region = self._region_model()
        related = self.model._meta.get_field("regions").related_query_name()
        return self.annotate(
            regions_list=json_list(region.objects.filter(**{related: OuterRef("pk")}).order_by("pk"), id="id", slug="slug", name="name")
        )

    def with_stage(self):
        """``derived_stage``: the stage the record falls in, from its regions and date (paper 1, 一), or None.

        Derived, never stored: one read of the stage index per fetch.
        """
        return self.with_regions().finished_with(_derive_stages)


def _derive_stages(records: list, memo: dict) -> None:
    if not records:
        return
    if "stages" not in memo:
        memo["stages"] = records[0]._meta.get_field("regions").related_model.objects.stage_index()
    index = memo["stages"]
    for record in records:
        record.derived_stage = index.stage_for([region["id"] for region in record.regions_list], record.date)
