"""Dataset releases: a Frictionless Data Package that validates, loads back, and is reproducible."""

import csv
import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opendata.release import release_build, release_validate
from opendata.tables import TABLES
from records.revision import dataset_tables
from regions.models import Jurisdiction

pytestmark = pytest.mark.django_db

DATE = "2026-12-07"


def build(path):
    return release_build(output=path, date=DATE)


def test_the_release_validates_with_frictionless(tmp_path):
    report = release_validate(build(tmp_path).directory)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:10]


def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    # The validation must be able to fail: a citation naming a source that is not in sources.csv.
    release = build(tmp_path)
    path = release.directory / "data" / "citations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(csv.reader([lines[1]]))
    row[3] = "no-such-source"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    path.write_text(lines[0] + buffer.getvalue() + "".join(lines[2:]), encoding="utf-8")
    assert not release_validate(release.directory).valid


def test_the_package_has_a_csv_per_table_and_every_field_is_described_in_both_languages(tmp_path):
    release = build(tmp_path)
    package = json.loads((release.directory / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    for table in ("agreements", "aliases", "mechanisms", "regions", "jurisdictions", "stages", "events",
                  "findings", "figures", "sources", "citations", "agreement_signatories", "region_members"):
        assert table in names
        assert (release.directory / "data" / f"{table}.csv").is_file()
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            zh, en = field["description"].split(" / ")
            assert zh and en and field["type"]


def test_the_csv_rows_match_the_database(tmp_path):
    release = build(tmp_path)
    with open(release.directory / "data" / "jurisdictions.csv", encoding="utf-8") as f:
        rows = {row["slug"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(Jurisdiction.objects.values_list("slug", flat=True))
    assert rows["tongzhou"]["division_code"] == "110112" and rows["tongzhou"]["parent"] == "beijing"


def test_the_release_holds_the_codebook_citation_checksums_and_one_zip(tmp_path):
    release = build(tmp_path)
    codebook = (release.directory / "README.md").read_text(encoding="utf-8")
    for needle in ("P1891", "P585", "P1001", "P248", "before:2014", "date_precision", "division_code"):
        assert needle in codebook
    assert "cff-version: 1.2.0" in (release.directory / "CITATION.cff").read_text(encoding="utf-8")
    sums = (release.directory / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((release.directory / name).read_bytes()).hexdigest() == digest
    assert len(sums) == len(TABLES) + 4
    with zipfile.ZipFile(release.zip_path) as archive:
        assert sorted(archive.namelist()) == sorted(f"{release.name}/{name}" for name in release.files)
    assert release.name == f"portal-dataset-{DATE}-r{release.name.rsplit('-r', 1)[1]}"


def test_the_same_data_gives_byte_identical_files(tmp_path):
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first.zip_path.read_bytes() == second.zip_path.read_bytes()
    for name in first.files:
        assert (first.directory / name).read_bytes() == (second.directory / name).read_bytes(), name


def api_output(client):
    """Every record the API lists, without database ids and timestamps (a reload renumbers them)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"id", "updated_at", "created_at"}}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    output = {}
    for name, url in client.get("/api/v1/").json().items():
        if not isinstance(url, str) or name in {"search", "stats", "export", "schema", "docs"}:
            continue
        records, page = [], url
        while page:
            body = client.get(page, {"page_size": 100}).json()
            records += body["results"]
            page = body.get("next")
        output[name] = strip(records)
    return output


def test_a_release_loads_back_into_an_empty_database_with_the_same_api_output(tmp_path, client):
    release = build(tmp_path)
    before = api_output(client)
    assert {"agreements", "jurisdictions", "regions", "mechanisms", "events", "findings"} <= set(before)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in dataset_tables()) + " CASCADE")
    assert not Jurisdiction.objects.exists()
    call_command("load_portal_data", "--skip-quote-check", "--json", str(release.directory / "export.json"),
                 stdout=StringIO())
    assert api_output(client) == before
    # And the reloaded data releases to the same data files.
    again = build(tmp_path / "again")
    for name in release.files:
        if name.startswith("data/") or name == "export.json":
            assert (again.directory / name).read_bytes() == (release.directory / name).read_bytes(), name


def test_the_command_writes_and_validates_a_release(tmp_path):
    out = StringIO()
    call_command("release_dataset", "--output", str(tmp_path), "--date", DATE, stdout=out)
    assert "frictionless: valid" in out.getvalue()
    assert list(tmp_path.glob(f"portal-dataset-{DATE}-r*.zip"))


def test_the_command_refuses_a_malformed_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("release_dataset", "--output", str(tmp_path), "--date", "7 Dec", stdout=StringIO())
