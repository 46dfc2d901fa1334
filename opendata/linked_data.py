"""Linked data for every record (issue 13, "Linked data on every record"): schema.org in JSON-LD.

The context is written inline rather than pointing at https://schema.org/, so a processor can
expand a record without fetching anything. Dates stay as precise as the paper gives them: an
agreement of "2015-07" has legislationDate "2015-07" (ISO 8601 allows reduced precision), and a
"before:2014" date, which is no date, is given as the open interval "../2013".

Which Wikidata property each statement corresponds to is documented in the release's codebook
(opendata/templates/opendata/codebook.md).
"""

from __future__ import annotations

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from records.dates import PartialDate
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

MEDIA_TYPE = "application/ld+json"
CONTEXT = {
    "@vocab": "https://schema.org/",
    "@language": "zh-Hans",
    # schema.org declares these as URLs; said here so a processor reads them as links, not text.
    "sameAs": {"@type": "@id"},
    "url": {"@type": "@id"},
}
# Documents a government issues are legislation in schema.org's sense (a decree, a plan); the
# police forces' own agreements between each other are creative works.
LEGISLATION_KINDS = {
    Agreement.Kind.OPINION, Agreement.Kind.IMPLEMENTING_OPINION, Agreement.Kind.IMPLEMENTATION_PLAN,
    Agreement.Kind.PLAN,
}


def absolute(base: str, path: str) -> str:
    return base.rstrip("/") + path


def partial_date(date: PartialDate) -> str | None:
    if date.edtf:
        return date.edtf
    if date.before is not None:
        return f"../{date.before - 1}"
    return None


def ref(base: str, obj, label: str = "name", type_: str | None = None) -> dict:
    node = {"@id": absolute(base, obj.get_absolute_url()), "name": getattr(obj, label)}
    if type_:
        node["@type"] = type_
    return node


def citations(base: str, obj) -> dict:
    """``citation``: one Quotation per citation, naming paper, section (position) and quote; ``isBasedOn``: the papers."""
    found = getattr(obj, "citations_list", None)
    if found is None:
        found = [
            {"source": {"slug": c.source.slug, "citation": c.source.citation}, "locator": c.locator, "quote": c.quote}
            for c in obj.citations.select_related("source").order_by("order", "pk")
        ]
    quotations, papers = [], {}
    for c in found:
        paper = {"@id": absolute(base, f"/sources/{c['source']['slug']}/"), "name": c["source"]["citation"]}
        papers.setdefault(paper["@id"], paper)
        quotations.append({"@type": "Quotation", "text": c["quote"], "position": c["locator"], "isPartOf": paper})
    return {"isBasedOn": list(papers.values()), "citation": quotations}


def record_jsonld(obj, base: str) -> dict:
    """The JSON-LD document for one record; ``base`` is the site's scheme and host."""
    node: dict = {"@context": CONTEXT, "@id": absolute(base, obj.get_absolute_url()), "url": absolute(base, obj.get_absolute_url()), "identifier": obj.slug}
    if isinstance(obj, Agreement):
        legislation = obj.kind in LEGISLATION_KINDS
        node["@type"] = "Legislation" if legislation else "CreativeWork"
        node["name"] = obj.title
        date = partial_date(obj.date)
        if date:
            node["legislationDate" if legislation else "dateCreated"] = date
        node["author"] = [ref(base, j, type_="AdministrativeArea") for j in obj.signatories.all()]
        node["spatialCoverage"] = [ref(base, r, type_="Place") for r in obj.regions.all()]
        if obj.summary:
            node["abstract"] = obj.summary
    elif isinstance(obj, Jurisdiction):
        node["@type"] = "AdministrativeArea"
        node["name"] = obj.name
        node["alternateName"] = [obj.short_name, *obj.aliases] if obj.short_name else list(obj.aliases)
        if obj.division_code:
            node["identifier"] = [
                obj.slug,
                {"@type": "PropertyValue", "propertyID": obj.division_code_source, "value": obj.division_code},
            ]
        if obj.wikidata:
            node["sameAs"] = f"http://www.wikidata.org/entity/{obj.wikidata}"
        if obj.parent_id:
            node["containedInPlace"] = ref(base, obj.parent, type_="AdministrativeArea")
    elif isinstance(obj, Region):
        node["@type"] = "Place"
        node["name"] = obj.name
        node["alternateName"] = list(obj.aliases)
        node["containsPlace"] = [ref(base, j, type_="AdministrativeArea") for j in obj.members.all()]
        if obj.parent_id:
            node["containedInPlace"] = ref(base, obj.parent, type_="Place")
        if obj.description:
            node["description"] = obj.description
    elif isinstance(obj, Stage):
        node["@type"] = "Intangible"
        node["name"] = obj.name
        node["temporalCoverage"] = f"{obj.start_year or '..'}/{obj.end_year or '..'}"
        node["about"] = ref(base, obj.region, type_="Place")
    elif isinstance(obj, Mechanism):
        node["@type"] = "Intangible"
        node["name"] = obj.name
        date = partial_date(obj.date)
        if date:
            node["temporalCoverage"] = date
        if obj.description:
            node["description"] = obj.description
    elif isinstance(obj, Event):
        node["@type"] = "Event"
        node["name"] = obj.title
        for key, date in (("startDate", obj.date), ("endDate", obj.end_date)):
            if partial_date(date):
                node[key] = partial_date(date)
        node["location"] = [ref(base, r, type_="Place") for r in obj.regions.all()]
    elif isinstance(obj, Finding):
        node["@type"] = "Claim"
        node["name"] = obj.title
        if obj.text:
            node["text"] = obj.text
        node["firstAppearance"] = ref(base, obj.source, label="citation", type_="ScholarlyArticle")
    elif isinstance(obj, Figure):
        node["@type"] = "QuantitativeValue"
        node["value"] = float(obj.value)
        node["unitText"] = obj.unit
        node["description"] = obj.counts
    elif isinstance(obj, Source):
        node["@type"] = "ScholarlyArticle" if obj.kind == "paper" else "CreativeWork"
        node["name"] = obj.title
        node["author"] = [{"@type": "Person", "name": name} for name in obj.authors]
        if obj.year:
            node["datePublished"] = str(obj.year)
        if obj.container:
            node["isPartOf"] = {"@type": "Periodical", "name": obj.container}
        return node
    else:
        raise TypeError(f"no linked data for {type(obj).__name__}")
    node.update(citations(base, obj))
    return node
