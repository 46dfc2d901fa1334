"""Loading and exporting the curated dataset.

``dataset_load`` is all-or-nothing (one transaction) and idempotent: a record is only saved when
something in it differs, so loading the same fixtures twice changes nothing, not even
``updated_at``. A bad record stops the load with a message naming its file, kind, slug and problem.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Agreement, AgreementAlias
from records.dates import PartialDate, PartialDateError
from sources.models import Citation, Reference, Source

from .provenance import dataset_provenance
from .schema import CITATION_KEYS, EXTRA_KEYS, FILES, KIND_BY_KEY, KINDS, RecordKind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXPORT_FORMAT = "portal-dataset/1"


class DatasetError(Exception):
    """A problem in the data, said so a curator can find and fix the record."""

    def __init__(self, origin: str, problem: str, kind: str = "", slug: str = "", index: int | None = None):
        self.origin, self.problem, self.kind, self.slug, self.index = origin, problem, kind, slug, index
        where = origin
        if kind:
            label = f"{kind} '{slug}'" if slug else kind
            if index is not None:
                label += f" (record {index + 1})"
            where = f"{where}: {label}"
        super().__init__(f"{where}: {problem}")


@dataclass
class Entry:
    origin: str
    kind: RecordKind
    index: int
    data: dict

    @property
    def slug(self) -> str:
        return self.data.get("slug", "")

    def error(self, problem: str) -> DatasetError:
        return DatasetError(self.origin, problem, self.kind.key, self.slug, self.index)


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_fixtures: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        rows = []
        for kind in KINDS:
            key = kind.key
            row = f"{key:<13} {self.created[key]:>4} created {self.updated[key]:>4} updated {self.unchanged[key]:>4} unchanged"
            if self.not_in_fixtures[key]:
                row += f"  ({self.not_in_fixtures[key]} in the database only)"
            rows.append(row)
        return rows


# ---------------------------------------------------------------- reading


def dataset_read_directory(directory: Path) -> list[Entry]:
    directory = Path(directory)
    entries: list[Entry] = []
    for name in FILES:
        path = directory / name
        if not path.exists():
            raise DatasetError(name, f"missing: expected the file at {path}")
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DatasetError(name, f"is not valid TOML: {exc}") from exc
        entries.extend(_entries(name, document, allowed={k.key for k in KINDS if k.file == name}))
    return entries


def dataset_read_json(text: str, origin: str = "export.json") -> list[Entry]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(origin, f"is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise DatasetError(origin, "must be a JSON object with one list per record kind")
    document = {k: v for k, v in document.items() if k != "format"}
    return _entries(origin, document, allowed=set(KIND_BY_KEY))


def _entries(origin: str, document: dict, allowed: set[str]) -> list[Entry]:
    unknown = set(document) - allowed
    if unknown:
        raise DatasetError(origin, f"unknown record kinds {sorted(unknown)}; this file holds {sorted(allowed)}")
    entries = []
    for kind in KINDS:
        records = document.get(kind.key, [])
        if not isinstance(records, list):
            raise DatasetError(origin, f"'{kind.key}' must be a list of records")
        for index, data in enumerate(records):
            if not isinstance(data, dict):
                raise DatasetError(origin, "each record must be a table of keys", kind.key, index=index)
            entries.append(Entry(origin, kind, index, data))
    return entries


# ---------------------------------------------------------------- loading


@transaction.atomic
def dataset_load(*, entries: list[Entry], sources_dir: Path | None = None) -> LoadReport:
    """Create or update every record so the database says what the entries say."""
    report = LoadReport()
    _check_entries(entries)
    by_kind: dict[str, list[Entry]] = {kind.key: [] for kind in KINDS}
    for entry in entries:
        by_kind[entry.kind.key].append(entry)
    for kind in KINDS:
        _load_kind(kind, by_kind[kind.key], report)
    return report


def dataset_check_provenance(*, entries: list[Entry], sources_dir: Path | None = None) -> None:
    """Refuse entries that state what their quotes do not (dataset/provenance.py), listing every case.

    Locators are checked against the papers' own numbering only when their texts are given.
    """
    problems = dataset_provenance(entries, sources_dir)
    if problems:
        listing = "\n  ".join(problems[:30])
        more = f"\n  … and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise DatasetError("provenance", f"{len(problems)} statements are not supported by their quotes:\n  {listing}{more}")


def _check_entries(entries: list[Entry]) -> None:
    seen: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        kind, data = entry.kind, entry.data
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            raise entry.error(f"slug {slug!r} must be lowercase ASCII letters, digits and single hyphens")
        if (kind.key, slug) in seen:
            first = seen[(kind.key, slug)]
            raise entry.error(f"slug is used twice (first in {first.origin}, record {first.index + 1})")
        seen[(kind.key, slug)] = entry
        allowed = (
            {"slug"} | set(kind.scalars) | set(kind.foreign) | set(kind.many) | set(kind.dates)
            | EXTRA_KEYS.get(kind.key, set()) | ({"citations"} if kind.cited else set())
        )
        unknown = set(data) - allowed
        if unknown:
            raise entry.error(f"unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
        for key in kind.required:
            if data.get(key) in (None, ""):
                raise entry.error(f"'{key}' is required")
        for key, expected in kind.scalars.items():
            value = data.get(key)
            if value is not None and (not isinstance(value, expected) or isinstance(value, bool) and expected is int):
                raise entry.error(f"'{key}' must be {_type_name(expected)}, got {value!r}")
        if kind.cited and not data.get("citations"):
            raise entry.error("every record needs at least one citation {source, locator, quote}")


def _type_name(expected) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list"}
    if isinstance(expected, tuple):
        return " or ".join(names[t] for t in expected)
    return names[expected]


def _load_kind(kind: RecordKind, entries: list[Entry], report: LoadReport) -> None:
    model = kind.model
    existing = {obj.slug: obj for obj in model.objects.all()}
    loaded: dict[str, object] = {}
    changed: set[str] = set()

    # Pass 1: the record's own columns and links to other kinds, so that pass 2 can link records
    # of this kind to each other (parts to schemes, recommendations to problems) in any order.
    for entry in entries:
        obj = existing.get(entry.slug)
        created = obj is None
        if created:
            obj = model(slug=entry.slug)
        dirty = _assign_columns(entry, obj, self_links=False)
        if created or dirty:
            _save(entry, obj)
            changed.add(entry.slug)
            (report.created if created else report.updated)[kind.key] += 1
        loaded[entry.slug] = obj

    for entry in entries:
        obj = loaded[entry.slug]
        dirty = _assign_columns(entry, obj, self_links=True)
        if dirty:
            _save(entry, obj)
        dirty |= _assign_many(entry, obj)
        dirty |= _assign_extras(entry, obj)
        if kind.cited:
            dirty |= _assign_citations(entry, obj)
        if dirty:
            if entry.slug not in changed:
                changed.add(entry.slug)
                report.updated[kind.key] += 1
            # Saved again even when just created: citations are bulk-created (no signals), and this
            # save tells the receivers that keep derived data current (search, the API's lists).
            obj.save(update_fields=["updated_at"] if hasattr(obj, "updated_at") else None)
        if entry.slug not in changed:
            report.unchanged[kind.key] += 1

    report.not_in_fixtures[kind.key] = len(set(existing) - set(loaded))
    if kind.key == "agreement":
        _check_agreement_names()


def _assign_columns(entry: Entry, obj, *, self_links: bool) -> bool:
    kind, data = entry.kind, entry.data
    values: dict[str, object] = {}
    if not self_links:
        for key in kind.scalars:
            field = kind.model._meta.get_field(key)
            value = data.get(key)
            if value is None:
                value = field.get_default()
            if key == "value":
                value = Decimal(str(value))
            values[field.attname] = value
        for key in kind.dates:
            values.update(_date_columns(entry, key))
    for key, (target, field_name) in kind.foreign.items():
        if (target is kind.model) != self_links:
            continue
        slug = data.get(key)
        values[kind.model._meta.get_field(field_name).attname] = _resolve(entry, key, target, slug).pk if slug else None
    dirty = False
    for attname, value in values.items():
        if getattr(obj, attname) != value:
            setattr(obj, attname, value)
            dirty = True
    return dirty


def _date_columns(entry: Entry, key: str) -> dict[str, int | None]:
    try:
        date = PartialDate.parse(entry.data.get(key))
    except PartialDateError as exc:
        raise entry.error(f"'{key}': {exc}") from exc
    if key == "date":
        return {"date_year": date.year, "date_month": date.month, "date_day": date.day, "date_before": date.before}
    if date.before is not None:
        raise entry.error(f"'{key}' must be a date, not a 'before' bound")
    return {"end_year": date.year, "end_month": date.month, "end_day": date.day}


def _resolve(entry: Entry, key: str, model: type, slug):
    if not isinstance(slug, str):
        raise entry.error(f"'{key}' must be a slug, got {slug!r}")
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist:
        raise entry.error(f"'{key}' names unknown {model._meta.model_name} '{slug}'") from None


def _save(entry: Entry, obj) -> None:
    try:
        obj.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise entry.error(problems) from None
    obj.save()


def _assign_many(entry: Entry, obj) -> bool:
    dirty = False
    for key, target in entry.kind.many.items():
        slugs = entry.data.get(key, [])
        if not isinstance(slugs, list):
            raise entry.error(f"'{key}' must be a list of slugs")
        wanted = [_resolve(entry, key, target, slug) for slug in slugs]
        if len({o.pk for o in wanted}) != len(wanted):
            raise entry.error(f"'{key}' lists the same record twice")
        manager = getattr(obj, key)
        if set(manager.values_list("pk", flat=True)) != {o.pk for o in wanted}:
            manager.set(wanted)
            dirty = True
    return dirty


def _assign_extras(entry: Entry, obj) -> bool:
    data = entry.data
    if entry.kind.key == "source":
        return _assign_cited_by(entry, obj)
    if entry.kind.key == "agreement":
        if data.get("establishes"):
            raise entry.error("'establishes' is derived: set established_by on the mechanisms instead")
        aliases = data.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise entry.error("'aliases' must be a list of non-empty titles")
        aliases = [a.strip().strip("《》") for a in aliases]
        if len(set(aliases)) != len(aliases):
            raise entry.error("'aliases' lists the same name twice")
        if obj.title in aliases:
            raise entry.error(f"alias 「{obj.title}」 repeats the title")
        current = list(obj.aliases.order_by("pk").values_list("name", flat=True))
        if current == aliases:
            return False
        obj.aliases.all().delete()
        for name in aliases:
            clash = AgreementAlias.objects.filter(name=name).select_related("agreement").first()
            if clash:
                raise entry.error(f"alias 「{name}」 already names agreement '{clash.agreement.slug}'")
            AgreementAlias.objects.create(agreement=obj, name=name)
        return True
    return False


def _assign_cited_by(entry: Entry, source: Source) -> bool:
    wanted = []
    for item in entry.data.get("cited_by", []):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], int)):
            raise entry.error("'cited_by' items are [citing paper slug, reference number]")
        wanted.append((_resolve(entry, "cited_by", Source, item[0]).pk, item[1]))
    current = sorted(Reference.objects.filter(cited=source).values_list("citing_id", "number"))
    if current == sorted(wanted):
        return False
    Reference.objects.filter(cited=source).delete()
    for citing_id, number in wanted:
        taken = Reference.objects.filter(citing_id=citing_id, number=number).select_related("cited").first()
        if taken:
            raise entry.error(f"reference [{number}] of that paper is already '{taken.cited.slug}'")
        Reference.objects.create(citing_id=citing_id, cited=source, number=number)
    return True


def _assign_citations(entry: Entry, obj) -> bool:
    citations = entry.data.get("citations", [])
    if not isinstance(citations, list):
        raise entry.error("'citations' must be a list")
    wanted = []
    for number, item in enumerate(citations, start=1):
        if not isinstance(item, dict):
            raise entry.error(f"citation {number} must be a table {{source, locator, quote}}")
        unknown = set(item) - CITATION_KEYS
        if unknown:
            raise entry.error(f"citation {number} has unknown keys {sorted(unknown)}")
        for key in ("source", "locator", "quote"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise entry.error(f"citation {number} needs a non-empty '{key}'")
        source = _resolve(entry, f"citations[{number}].source", Source, item["source"])
        if source.kind != Source.Kind.PAPER:
            raise entry.error(
                f"citation {number} quotes '{source.slug}', which is not one of the papers; "
                "quote the paper and name the reference in 'cites'"
            )
        cites = _resolve(entry, f"citations[{number}].cites", Source, item["cites"]).pk if item.get("cites") else None
        wanted.append((source.pk, item["locator"].strip(), item["quote"].strip(), cites))
    content_type = ContentType.objects.get_for_model(obj)
    current = list(
        Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        .order_by("order", "pk")
        .values_list("source_id", "locator", "quote", "cites_id")
    )
    if current == wanted:
        return False
    Citation.objects.filter(content_type=content_type, object_id=obj.pk).delete()
    Citation.objects.bulk_create(
        Citation(content_type=content_type, object_id=obj.pk, source_id=s, locator=l, quote=q, cites_id=c, order=i)
        for i, (s, l, q, c) in enumerate(wanted)
    )
    return True


def _check_agreement_names() -> None:
    """An alias may not be another agreement's title (paper wordings must point to one record)."""
    titles = dict(Agreement.objects.values_list("title", "slug"))
    for name, owner in AgreementAlias.objects.values_list("name", "agreement__slug"):
        if name in titles and titles[name] != owner:
            raise DatasetError(
                "agreements.toml", f"alias 「{name}」 is also the title of '{titles[name]}'", "agreement", owner
            )


# ---------------------------------------------------------------- exporting


def dataset_export() -> dict:
    """The whole dataset in the fixtures' shape, as one JSON-ready document that loads back."""
    document: dict = {"format": EXPORT_FORMAT}
    for kind in KINDS:
        document[kind.key] = [_export_record(kind, obj) for obj in _export_queryset(kind)]
    return document


def _export_queryset(kind: RecordKind):
    qs = kind.model.objects.order_by("pk")
    related = [name for _, (target, name) in kind.foreign.items()]
    if related:
        qs = qs.select_related(*related)
    prefetch = list(kind.many)
    if kind.cited:
        prefetch += ["citations__source", "citations__cites"]
    if kind.key == "agreement":
        prefetch.append("aliases")
    if kind.key == "source":
        prefetch.append("cited_entries__citing")
    return qs.prefetch_related(*prefetch)


def _export_record(kind: RecordKind, obj) -> dict:
    record: dict = {"slug": obj.slug}
    for key in kind.scalars:
        value = getattr(obj, key)
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        if value not in (None, "", [], {}, False) or key in kind.required:
            record[key] = value
    if kind.key == "agreement":
        record["aliases"] = [a.name for a in obj.aliases.all()]
    for key, (_, name) in kind.foreign.items():
        target = getattr(obj, name)
        if target is not None:
            record[key] = target.slug
    for key in kind.many:
        record[key] = sorted(o.slug for o in getattr(obj, key).all())
    if "date" in kind.dates and obj.date.fixture_form:
        record["date"] = obj.date.fixture_form
    if "end_date" in kind.dates and obj.end_date.fixture_form:
        record["end_date"] = obj.end_date.fixture_form
    if kind.key == "source":
        record["cited_by"] = [[ref.citing.slug, ref.number] for ref in obj.cited_entries.all()]
    if kind.cited:
        record["citations"] = [
            {k: v for k, v in {
                "source": c.source.slug, "locator": c.locator, "quote": c.quote,
                "cites": c.cites.slug if c.cites else None,
            }.items() if v}
            for c in obj.citations.all()
        ]
    return record
