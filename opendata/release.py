"""Dated, validated dataset releases (issue 13, "Dated releases").

A release is a Frictionless Data Package: one CSV per table (opendata/tables.py), the JSON export
that ``load_portal_data --json`` reads back, a codebook, CITATION.cff and SHA256SUMS, packed as one
zip. It is reproducible: rows are ordered as the export orders them, nothing inside the data files
depends on the time or the database ids, and the zip's members carry a fixed timestamp, so the same
data on the same release date gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from dataset.services import dataset_export
from records.revision import current_revision

from .tables import TABLES, Table

RELEASE_NAME = re.compile(r"^portal-dataset-(?P<date>\d{4}-\d{2}-\d{2})-r(?P<revision>\d+)$")
# The earliest time a zip member can carry (MS-DOS epoch): fixed, so zips are byte-identical.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EXPORT_FILE = "export.json"
# The project has not chosen a licence for the dataset yet (the quotes are from copyrighted papers);
# a release claims none until it does.
LICENSE = ""
TITLE_ZH = "区域警务协作知识库数据集"
TITLE_EN = "Regional Police Cooperation Knowledge Base dataset"


@dataclass(frozen=True)
class Release:
    name: str
    directory: Path
    zip_path: Path
    files: tuple[str, ...]


def release_name(date: str, revision: int) -> str:
    return f"portal-dataset-{date}-r{revision}"


def release_build(*, output: Path, date: str) -> Release:
    """Write the release for the data as it is now into ``output``; an existing one is overwritten."""
    revision = current_revision().number
    name = release_name(date, revision)
    document = dataset_export()
    directory = output / name
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for table in TABLES:
        files[f"data/{table.name}.csv"] = table_csv(table, table.rows(document))
    files[EXPORT_FILE] = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    counts = {kind: len(records) for kind, records in document.items() if isinstance(records, list)}
    context = {
        "name": name, "date": date, "revision": revision, "tables": TABLES, "counts": counts,
        "title_zh": TITLE_ZH, "title_en": TITLE_EN, "license": LICENSE,
    }
    files["datapackage.json"] = (json.dumps(datapackage(name, date, revision), ensure_ascii=False, indent=1) + "\n").encode()
    files["README.md"] = render_to_string("opendata/codebook.md", context).encode()
    files["CITATION.cff"] = citation_cff(date, revision, [r for r in document["source"] if r["kind"] == "paper"]).encode()
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {path}\n" for path, content in sorted(files.items())
    ).encode()
    for path, content in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    zip_path = output / f"{name}.zip"
    zip_path.write_bytes(pack(name, files))
    return Release(name, directory, zip_path, tuple(sorted(files)))


def table_csv(table: Table, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([cell(row.get(c.name), c.default) for c in table.columns])
    return buffer.getvalue().encode()


def cell(value, default=None) -> str:
    if value is None:
        value = default
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def datapackage(name: str, date: str, revision: int) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": f"{TITLE_ZH} / {TITLE_EN}",
        "version": f"{date}-r{revision}",
        "created": f"{date}T00:00:00Z",
        **({"licenses": [{"name": LICENSE}]} if LICENSE else {}),
        "description": (
            "区域警务协作的协议、机制、事件、论点与数字，均逐条引自两篇论文。"
            " / Agreements, mechanisms, events, findings and figures of regional police cooperation in China,"
            " each cited to two papers."
        ),
        "resources": [resource(table) for table in TABLES],
    }


def resource(table: Table) -> dict:
    schema: dict = {
        "fields": [schema_field(column) for column in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fields), "reference": {"resource": target, "fields": list(target_fields)}}
            for fields, target, target_fields in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"data/{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": table.zh,
        "description": f"{table.zh} / {table.en}",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": schema,
    }


def schema_field(column) -> dict:
    field: dict = {
        "name": column.name,
        "type": column.type,
        "title": column.zh,
        "description": f"{column.zh} / {column.en}",
    }
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.pattern:
        constraints["pattern"] = column.pattern
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


def citation_cff(date: str, revision: int, papers: list[dict]) -> str:
    """CITATION.cff naming this release and the papers it is curated from (JSON strings are valid YAML)."""
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    lines = [
        "cff-version: 1.2.0",
        f"message: {q('If you use this dataset, cite this release and the papers it is curated from.')}",
        "type: dataset",
        f"title: {q(f'{TITLE_ZH} / {TITLE_EN}')}",
        f"version: {q(f'{date}-r{revision}')}",
        f"date-released: {q(date)}",
        *([f"license: {LICENSE}"] if LICENSE else []),
        "authors:",
        f"  - name: {q('区域警务协作知识库 / Regional Police Cooperation Knowledge Base')}",
        "references:",
    ]
    for paper in papers:
        lines += [f"  - type: article", f"    title: {q(paper['title'])}", "    authors:"]
        lines += [f"      - name: {q(author)}" for author in paper.get("authors", [])]
        if paper.get("container"):
            lines.append(f"    journal: {q(paper['container'])}")
        if paper.get("year"):
            lines.append(f"    year: {paper['year']}")
    return "\n".join(lines) + "\n"


def pack(name: str, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, files[path], compresslevel=9)
    return buffer.getvalue()


def release_validate(directory: Path):
    """The frictionless report for a release directory: types, constraints, primary and foreign keys."""
    from frictionless import Package

    package = Package(str(directory / "datapackage.json"))
    return package.validate()


# ---------------------------------------------------------------- listing published releases


@dataclass(frozen=True)
class PublishedRelease:
    name: str
    date: str
    revision: int
    zip_path: Path
    size: int
    sha256: str
    added: int | None = None  # None: the first release, nothing to compare with
    changed: int | None = None
    removed: int | None = None


def _records(zip_path: Path, name: str) -> dict[tuple[str, str], dict]:
    with zipfile.ZipFile(zip_path) as archive:
        document = json.loads(archive.read(f"{name}/{EXPORT_FILE}"))
    return {
        (kind, record["slug"]): record
        for kind, records in document.items() if isinstance(records, list) for record in records
    }


def releases_published(directory: Path) -> list[PublishedRelease]:
    """The releases in ``directory``, newest first, each with what changed since the one before it."""
    found = []
    for path in directory.glob("portal-dataset-*.zip") if directory.is_dir() else []:
        match = RELEASE_NAME.match(path.stem)
        if match:
            found.append((match["date"], int(match["revision"]), path))
    found.sort()
    listed, previous = [], None
    for date, revision, path in found:
        content = path.read_bytes()
        records = _records(path, path.stem)
        changes = {}
        if previous is not None:
            changes = {
                "added": len(records.keys() - previous.keys()),
                "removed": len(previous.keys() - records.keys()),
                "changed": sum(1 for key in records.keys() & previous.keys() if records[key] != previous[key]),
            }
        listed.append(PublishedRelease(
            path.stem, date, revision, path, len(content), hashlib.sha256(content).hexdigest(), **changes
        ))
        previous = records
    return listed[::-1]
