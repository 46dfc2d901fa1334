"""What a fixture record of each kind may hold, read by the loader and written by the exporter.

The shapes are documented for curators in fixtures/README.md; this module is their single
definition in code, so loading and exporting cannot drift apart.
"""

from dataclasses import dataclass, field

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event


@dataclass(frozen=True)
class RecordKind:
    key: str
    file: str
    model: type
    required: tuple[str, ...]
    # field name -> python type(s) the TOML value must have; defaults come from the model field.
    scalars: dict[str, type | tuple[type, ...]]
    # key -> (model, field name); a foreign key written as the other record's slug.
    foreign: dict[str, tuple[type, str]] = field(default_factory=dict)
    # key -> model; a many-to-many written as a list of slugs.
    many: dict[str, type] = field(default_factory=dict)
    # partial-date keys: "date" -> date_* columns, "end_date" -> end_* columns
    dates: tuple[str, ...] = ()
    cited: bool = True


TEXT = str
LIST = list

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        key="source",
        file="sources.toml",
        model=Source,
        required=("kind", "title"),
        scalars={
            "kind": TEXT, "authors": LIST, "title": TEXT, "title_en": TEXT, "container": TEXT, "medium": TEXT,
            "year": int, "volume": TEXT, "issue": TEXT, "pages": TEXT, "published": TEXT, "url": TEXT,
            "seed_file": TEXT, "note": TEXT,
        },
    ),
    RecordKind(
        key="jurisdiction",
        file="regions.toml",
        model=Jurisdiction,
        required=("name", "level"),
        scalars={
            "name": TEXT, "short_name": TEXT, "aliases": LIST, "level": TEXT, "division_code": TEXT,
            "division_code_source": TEXT, "wikidata": TEXT, "outside_sources": dict,
        },
        foreign={"parent": (Jurisdiction, "parent")},
    ),
    RecordKind(
        key="region",
        file="regions.toml",
        model=Region,
        required=("name", "kind"),
        scalars={
            "name": TEXT, "full_name": TEXT, "aliases": LIST, "kind": TEXT, "members_note": TEXT,
            "description": TEXT,
        },
        foreign={"parent": (Region, "parent")},
        many={"members": Jurisdiction},
    ),
    RecordKind(
        key="stage",
        file="regions.toml",
        model=Stage,
        required=("region", "name"),
        scalars={"name": TEXT, "name_en": TEXT, "start_year": int, "end_year": int, "order": int, "summary": TEXT},
        foreign={"region": (Region, "region")},
    ),
    RecordKind(
        key="agreement",
        file="agreements.toml",
        model=Agreement,
        required=("title", "kind"),
        scalars={
            "title": TEXT, "untitled": bool, "kind": TEXT, "signatories_text": TEXT, "signatories_note": TEXT,
            "summary": TEXT,
        },
        many={"signatories": Jurisdiction, "regions": Region, "implements": Agreement},
        dates=("date",),
    ),
    RecordKind(
        key="mechanism",
        file="mechanisms.toml",
        model=Mechanism,
        required=("name", "category"),
        scalars={
            "name": TEXT, "aliases": LIST, "category": TEXT, "established_by_text": TEXT, "order": int,
            "description": TEXT, "title_only": bool,
        },
        foreign={"established_by": (Agreement, "established_by"), "parent": (Mechanism, "parent")},
        many={"regions": Region},
        dates=("date",),
    ),
    RecordKind(
        key="event",
        file="events.toml",
        model=Event,
        required=("title",),
        scalars={"title": TEXT, "description": TEXT},
        many={"regions": Region, "agreements": Agreement, "mechanisms": Mechanism},
        dates=("date", "end_date"),
    ),
    RecordKind(
        key="finding",
        file="findings.toml",
        model=Finding,
        required=("source", "kind", "title"),
        scalars={"kind": TEXT, "dimension": TEXT, "order": int, "title": TEXT, "text": TEXT, "addresses_note": TEXT},
        foreign={"source": (Source, "source"), "parent": (Finding, "parent")},
        many={"regions": Region, "addresses": Finding},
    ),
    RecordKind(
        key="figure",
        file="findings.toml",
        model=Figure,
        required=("value", "unit", "counts"),
        scalars={"value": (int, float), "qualifier": TEXT, "unit": TEXT, "counts": TEXT, "year": int},
        foreign={"region": (Region, "region"), "mechanism": (Mechanism, "mechanism")},
    ),
)

KIND_BY_KEY = {kind.key: kind for kind in KINDS}
FILES = tuple(dict.fromkeys(kind.file for kind in KINDS))

# Keys beyond the generic ones, handled by the loader itself.
EXTRA_KEYS = {
    "source": {"cited_by"},
    "agreement": {"aliases", "establishes"},
}
CITATION_KEYS = {"source", "locator", "quote", "cites"}
