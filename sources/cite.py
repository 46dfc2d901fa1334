""""Cite this record": a portal record as GB/T 7714-2015, BibTeX and RIS, with the papers it comes from.

A citation names the portal record itself (its permalink, the date it last changed, the date it
was read) and then the paper or papers the record cites, so a reader can go to the original.
GB/T 7714-2015 (4.1.3 and 8.8) writes an online database record as
``责任者. 题名[DB/OL]. (更新日期)[引用日期]. 获取和访问路径.``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.apps import apps

PORTAL_NAME = "区域警务协作知识库"

# The record types that have a page, by the name used in /cite/<type>/<slug>.<format>.
CITABLE = {
    "agreement": "agreements.Agreement",
    "mechanism": "mechanisms.Mechanism",
    "event": "timeline.Event",
    "region": "regions.Region",
    "jurisdiction": "regions.Jurisdiction",
    "stage": "regions.Stage",
    "finding": "findings.Finding",
    "figure": "findings.Figure",
    "source": "sources.Source",
}
FORMATS = {
    "txt": "text/plain; charset=utf-8",
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
}


def citable_model(kind: str):
    label = CITABLE.get(kind)
    return apps.get_model(label) if label else None


@dataclass
class CitedRecordInfo:
    kind: str
    slug: str
    title: str
    url: str
    updated: date
    accessed: date
    papers: list  # Source objects the record's citations come from, in citation order


def papers_of(record, sources_by_id: dict) -> list:
    """The sources a record's gathered citations name, first citation first, each once."""
    seen, papers = set(), []
    for citation in getattr(record, "citations_list", None) or []:
        pk = citation["source"]["id"] if isinstance(citation["source"], dict) else citation["source"]
        if pk not in seen and pk in sources_by_id:
            seen.add(pk)
            papers.append(sources_by_id[pk])
    return papers


def gbt7714_text(info: CitedRecordInfo) -> str:
    lines = [f"{PORTAL_NAME}. {info.title}[DB/OL]. ({info.updated.isoformat()})[{info.accessed.isoformat()}]. {info.url}."]
    lines += [paper.citation for paper in info.papers]
    return "\n".join(lines)


def _bib(value: str) -> str:
    return re.sub(r"([&%#_$])", r"\\\1", str(value)).replace("{", "\\{").replace("}", "\\}")


def bibtex_text(info: CitedRecordInfo) -> str:
    note = "; ".join(paper.citation for paper in info.papers)
    entries = [
        "\n".join([
            f"@misc{{portal-{info.kind}-{info.slug},",
            f"  author = {{{{{PORTAL_NAME}}}}},",
            f"  title = {{{{{_bib(info.title)}}}}},",
            f"  year = {{{info.updated.year}}},",
            f"  howpublished = {{\\url{{{info.url}}}}},",
            f"  url = {{{info.url}}},",
            f"  urldate = {{{info.accessed.isoformat()}}},",
            f"  note = {{{_bib('据 ' + note) if note else ''}}},",
            "}",
        ])
    ]
    for paper in info.papers:
        fields = [("author", " and ".join(paper.authors)), ("title", paper.title)]
        kind = "article" if paper.medium == "J" else ("book" if paper.medium == "M" else "misc")
        fields.append(("journal" if kind == "article" else "publisher", paper.container))
        fields += [("year", paper.year or ""), ("volume", paper.volume), ("number", paper.issue), ("pages", paper.pages), ("url", paper.url)]
        body = ",\n".join(f"  {name} = {{{_bib(value) if name != 'url' else value}}}" for name, value in fields if value not in ("", None))
        entries.append(f"@{kind}{{{paper.slug},\n{body},\n}}")
    return "\n\n".join(entries) + "\n"


def ris_text(info: CitedRecordInfo) -> str:
    lines = ["TY  - DBASE", f"AU  - {PORTAL_NAME}", f"TI  - {info.title}", f"PY  - {info.updated.year}",
             f"DA  - {info.updated.isoformat()}", f"Y2  - {info.accessed.isoformat()}", f"UR  - {info.url}",
             f"DB  - {PORTAL_NAME}"]
    lines += [f"N1  - 据 {paper.citation}" for paper in info.papers]
    lines.append("ER  - ")
    for paper in info.papers:
        kind = {"J": "JOUR", "M": "BOOK", "N": "NEWS", "EB/OL": "ELEC"}.get(paper.medium, "GEN")
        lines.append(f"TY  - {kind}")
        lines += [f"AU  - {author}" for author in paper.authors]
        lines.append(f"TI  - {paper.title}")
        if paper.container:
            lines.append(f"{'JO' if kind == 'JOUR' else 'PB'}  - {paper.container}")
        if paper.year:
            lines.append(f"PY  - {paper.year}")
        if paper.volume:
            lines.append(f"VL  - {paper.volume}")
        if paper.issue:
            lines.append(f"IS  - {paper.issue}")
        if paper.pages:
            start, _, end = paper.pages.partition("-")
            lines.append(f"SP  - {start}")
            if end:
                lines.append(f"EP  - {end}")
        if paper.url:
            lines.append(f"UR  - {paper.url}")
        lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


RENDERERS = {"txt": gbt7714_text, "bib": bibtex_text, "ris": ris_text}
