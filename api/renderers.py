"""CSV for analysts' spreadsheets: every list endpoint, same filters, all pages in one streamed file.

Nested values are flattened so that a row is one record: a related record becomes its name (and a
``*_slug`` column for joining), lists are joined with "; ", and citations read
"source locator: quote". The file starts with a UTF-8 byte order mark because Excel otherwise
reads UTF-8 Chinese as mojibake.
"""

import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import batched

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from .serializers import Ref

logger = logging.getLogger(__name__)

BOM = "\ufeff"
SEPARATOR = "; "
# Rows serialised per database round trip: large enough to amortise the prefetch queries,
# small enough to keep memory flat on a 10,000-row export.
CHUNK_SIZE = 500


class JSONLDRenderer(JSONRenderer):
    """Chosen by ``?format=jsonld`` or ``Accept: application/ld+json``; the views give it schema.org JSON-LD."""

    media_type = "application/ld+json"
    format = "jsonld"


class CSVRenderer(BaseRenderer):
    """Chosen by ``?format=csv`` or ``Accept: text/csv``; list views stream the body themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for a non-streamed body: a list of flat rows.
        rows = data if isinstance(data, list) else [data]
        if not rows:
            return BOM
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return BOM + out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(item: dict) -> str:
    for key in ("name", "title", "citation", "slug"):
        if item.get(key):
            return _text(item[key])
    return ""


def _citation(item: dict) -> str:
    return f"{item['source']['slug']} {item['locator']}: {item['quote']}"


Column = tuple[str, Callable[[dict], str]]


def csv_columns(serializer: serializers.Serializer) -> list[Column]:
    """One or two flat columns per serializer field, decided by the field's type so that the header is known up front."""
    columns: list[Column] = []
    for name, field in serializer.fields.items():
        field = getattr(field, "shape", field)  # a stored value is flattened like the field it stands for
        if name == "citations":
            columns.append((name, lambda row, n=name: SEPARATOR.join(_citation(c) for c in row[n])))
        elif isinstance(field, serializers.ListSerializer) or getattr(field, "many", False):
            columns.append((name, lambda row, n=name: SEPARATOR.join(_label(i) for i in row[n])))
            columns.append((f"{name}_slugs", lambda row, n=name: SEPARATOR.join(_text(i.get("slug")) for i in row[n])))
        elif isinstance(field, (serializers.Serializer, Ref)):
            columns.append((name, lambda row, n=name: _label(row[n]) if row[n] else ""))
            columns.append((f"{name}_slug", lambda row, n=name: _text(row[n]["slug"]) if row[n] else ""))
        elif isinstance(field, (serializers.ListField, serializers.ManyRelatedField)):
            columns.append((name, lambda row, n=name: SEPARATOR.join(_text(v) for v in row[n])))
        else:
            columns.append((name, lambda row, n=name: _text(row[n])))
    return columns


def _lines(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def stream_csv(serializer_class, queryset, context: dict) -> Iterator[str]:
    """The header, then the queryset's rows a chunk at a time; each chunk runs the queryset's prefetches once.

    Not a generator itself: the query runs and the first chunk is serialised here, in the view,
    so that a query that fails (a bad value the database refuses, a lost connection) is raised
    before the first byte and answered as a JSON error, not as a ``200 text/csv`` holding the
    header row only (issue 14). What is returned streams the rest; a failure there is re-raised
    out of the response's iterator, which makes the WSGI server drop the connection without the
    final empty chunk, so the client sees an aborted download, never a short file that ends
    cleanly.
    """
    columns = csv_columns(serializer_class(context=context))
    chunks = batched(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)

    def lines(chunk) -> str:
        data = serializer_class(list(chunk), many=True, context=context).data
        return _lines([[cell(row) for _, cell in columns] for row in data])

    first = next(chunks, ())
    head = BOM + _lines([[header for header, _ in columns]]) + lines(first)

    def rest(rows_sent: int) -> Iterator[str]:
        yield head
        try:
            for chunk in chunks:
                yield lines(chunk)
                rows_sent += len(chunk)
        except Exception:
            # Headers and part of the body are out: the aborted connection (the exception,
            # re-raised) is the only signal left to the client, and this line says why.
            logger.exception("CSV export aborted after %d rows", rows_sent)
            raise

    return rest(len(first))
