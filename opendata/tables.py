"""The release's tables: one CSV per record kind and per link, each described field by field.

Rows are built from ``dataset_export()`` (the fixtures' shape), not from database ids, so the
same curated data gives the same bytes whatever database it was loaded into. Every field has a
Chinese and an English description; they become the Table Schema in datapackage.json and the
codebook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from records.dates import PartialDate

SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean
    zh: str
    en: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    # The export leaves out a value equal to the model's default (False, 0); the CSV writes it.
    default: object = None


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # (fields, referenced table, referenced fields)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    rows: object = field(default=None, repr=False)  # document -> list of dicts


def slug(zh="标识符（slug），稳定不变", en="Identifier (slug), stable forever") -> Column:
    return Column("slug", "string", zh, en, required=True, pattern=SLUG_PATTERN)


def ref(name: str, zh: str, en: str, required=False) -> Column:
    return Column(name, "string", zh, en, required=required, pattern=SLUG_PATTERN)


DATE_COLUMNS = (
    Column("date", "string", "日期，按论文所写的精度：YYYY-MM-DD、YYYY-MM、YYYY 或 before:YYYY；空为不详",
           "Date at the precision the paper gives: YYYY-MM-DD, YYYY-MM, YYYY or before:YYYY; empty if unknown",
           pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?|before:\d{4})$"),
    Column("date_precision", "string", "日期精度", "Precision of the date", required=True,
           enum=("day", "month", "year", "before", "unknown")),
    Column("date_year", "integer", "年；精度为 before 或 unknown 时为空", "Year; empty when precision is before or unknown"),
    Column("date_month", "integer", "月；论文未给出时为空", "Month; empty when the paper gives none", minimum=1),
    Column("date_day", "integer", "日；论文未给出时为空", "Day; empty when the paper gives none", minimum=1),
    Column("date_before", "integer", "上界年份：事情发生在该年之前（「2014年之前」）",
           "Upper bound year: the thing happened before this year (\"before 2014\")"),
)


def date_values(text: str | None) -> dict:
    date = PartialDate.parse(text)
    return {
        "date": text or "", "date_precision": str(date.precision), "date_year": date.year,
        "date_month": date.month, "date_day": date.day, "date_before": date.before,
    }


def pick(record: dict, *names: str) -> dict:
    return {name: record.get(name) for name in names}


def links(kind: str, key: str, left: str, right: str):
    def rows(document):
        return [{left: r["slug"], right: other} for r in document[kind] for other in sorted(r.get(key, []))]
    return rows


def link_table(name, kind, key, left, right, right_table, zh, en, left_zh, left_en, right_zh, right_en) -> Table:
    return Table(
        name, zh, en,
        (ref(left, left_zh, left_en, required=True), ref(right, right_zh, right_en, required=True)),
        primary_key=(left, right),
        foreign_keys=(((left,), f"{kind}s" if kind != "agreement" else "agreements", ("slug",)),
                      ((right,), right_table, ("slug",))),
        rows=links(kind, key, left, right),
    )


ALIAS_KINDS = ("jurisdiction", "region", "agreement", "mechanism")


def alias_rows(document):
    return [
        {"record_kind": kind, "record_slug": r["slug"], "alias": alias}
        for kind in ALIAS_KINDS for r in document[kind] for alias in r.get("aliases", [])
    ]


CITED_KINDS = ("jurisdiction", "region", "stage", "agreement", "mechanism", "event", "finding", "figure")


def citation_rows(document):
    return [
        {"record_kind": kind, "record_slug": r["slug"], "order": i, **pick(c, "source", "locator", "quote", "cites")}
        for kind in CITED_KINDS for r in document[kind] for i, c in enumerate(r.get("citations", []))
    ]


def source_rows(document):
    return [
        {**pick(r, "slug", "kind", "title", "title_en", "container", "medium", "year", "volume", "issue", "pages",
                "published", "url", "seed_file", "note"),
         "authors": "; ".join(r.get("authors", []))}
        for r in document["source"]
    ]


def reference_rows(document):
    return [
        {"citing": citing, "number": number, "cited": r["slug"]}
        for r in document["source"] for citing, number in r.get("cited_by", [])
    ]


def jurisdiction_rows(document):
    # outside_sources is a {field: source} object: one JSON cell (Table Schema type "object"), empty when none.
    return [
        {**pick(r, "slug", "name", "short_name", "level", "parent", "division_code", "division_code_source", "wikidata"),
         "outside_sources": json.dumps(r["outside_sources"], ensure_ascii=False, sort_keys=True) if r.get("outside_sources") else ""}
        for r in document["jurisdiction"]
    ]


def dated(kind: str, *names: str):
    def rows(document):
        return [{**pick(r, "slug", *names), **date_values(r.get("date"))} for r in document[kind]]
    return rows


def plain(kind: str, *names: str):
    def rows(document):
        return [pick(r, "slug", *names) for r in document[kind]]
    return rows


def event_rows(document):
    return [
        {**pick(r, "slug", "title", "description"), **date_values(r.get("date")), "end_date": r.get("end_date", "")}
        for r in document["event"]
    ]


TABLES: tuple[Table, ...] = (
    Table(
        "sources", "文献：两篇论文及其参考文献", "Sources: the two papers and every work in their reference lists",
        (
            slug(),
            Column("kind", "string", "类型：paper 论文，reference 参考文献", "Kind: paper or reference", required=True,
                   enum=("paper", "reference")),
            Column("authors", "string", "作者，以「; 」分隔", "Authors, separated by \"; \""),
            Column("title", "string", "题名", "Title", required=True),
            Column("title_en", "string", "英文题名", "English title"),
            Column("container", "string", "刊名、报纸、出版者或网站", "Journal, newspaper, publisher or website"),
            Column("medium", "string", "GB/T 7714 文献类型标识（J、M、N、EB/OL）", "GB/T 7714 medium code (J, M, N, EB/OL)"),
            Column("year", "integer", "出版年", "Year of publication"),
            Column("volume", "string", "卷", "Volume"),
            Column("issue", "string", "期", "Issue"),
            Column("pages", "string", "页码", "Pages"),
            Column("published", "string", "发布日期（按原样）", "Date of publication as printed"),
            Column("url", "string", "网址", "URL"),
            Column("seed_file", "string", "论文全文文件名（仅论文）", "File of the paper's full text (papers only)"),
            Column("note", "string", "说明", "Note"),
        ),
        primary_key=("slug",), rows=source_rows,
    ),
    Table(
        "source_references", "论文参考文献表：论文在第几条引用了哪部文献",
        "Reference lists: which work a paper lists at which number",
        (
            ref("citing", "引用的论文", "The citing paper", required=True),
            Column("number", "integer", "在参考文献表中的序号", "Number in the paper's reference list", required=True, minimum=1),
            ref("cited", "被列出的文献", "The listed work", required=True),
        ),
        primary_key=("citing", "number"),
        foreign_keys=((("citing",), "sources", ("slug",)), (("cited",), "sources", ("slug",))),
        rows=reference_rows,
    ),
    Table(
        "jurisdictions", "辖区：省级、地级、县级行政区划", "Jurisdictions: province-, prefecture- and county-level divisions",
        (
            slug(),
            Column("name", "string", "名称", "Name", required=True),
            Column("short_name", "string", "简称", "Short name"),
            Column("level", "string", "级别", "Administrative level", required=True,
                   enum=("province", "municipality", "sar", "prefecture", "county", "district", "new_area")),
            ref("parent", "上级辖区", "The jurisdiction it sits in"),
            Column("division_code", "string", "GB/T 2260 六位行政区划代码；非此类区划为空",
                   "GB/T 2260 six-digit administrative division code; empty if not such a division",
                   pattern=r"^\d{6}$"),
            Column("division_code_source", "string", "代码来源标准（代码出自标准，而非论文）",
                   "Standard the code comes from (the code is from the standard, not the papers)"),
            Column("wikidata", "string", "同一辖区的 Wikidata 条目（非出自论文）", "The same place's Wikidata item (not from the papers)",
                   pattern=r"^Q[1-9][0-9]*$"),
            Column("outside_sources", "object", "不见于论文的陈述及其外部来源（如上级辖区出自 GB/T 2260）",
                   "Statements not in the papers, with the outside source of each (e.g. the parent from GB/T 2260)"),
        ),
        primary_key=("slug",), foreign_keys=((("parent",), "jurisdictions", ("slug",)),),
        rows=jurisdiction_rows,
    ),
    Table(
        "regions", "协作区域", "Cooperation regions",
        (
            slug(),
            Column("name", "string", "名称", "Name", required=True),
            Column("full_name", "string", "全称", "Full name"),
            Column("kind", "string", "类型：大区域、跨界小区域、跨辖区协作区", "Kind: large, small cross-border, cross-jurisdiction",
                   required=True, enum=("large", "small_cross_border", "cross_jurisdiction")),
            ref("parent", "所在的上级区域", "The region it sits inside"),
            Column("members_note", "string", "成员名单的由来", "How the member list was derived"),
            Column("description", "string", "简介", "Description"),
        ),
        primary_key=("slug",), foreign_keys=((("parent",), "regions", ("slug",)),),
        rows=plain("region", "name", "full_name", "kind", "parent", "members_note", "description"),
    ),
    Table(
        "stages", "区域的发展阶段", "Development stages of a region",
        (
            slug(),
            ref("region", "所属区域", "Region", required=True),
            Column("name", "string", "名称", "Name", required=True),
            Column("name_en", "string", "英文名称", "English name"),
            Column("start_year", "integer", "起始年；空为起点不详", "First year; empty if unknown"),
            Column("end_year", "integer", "结束年；空为至今", "Last year; empty means to the present"),
            Column("order", "integer", "顺序", "Order within the region", required=True, minimum=0, default=0),
            Column("summary", "string", "概述", "Summary"),
        ),
        primary_key=("slug",), foreign_keys=((("region",), "regions", ("slug",)),),
        rows=plain("stage", "region", "name", "name_en", "start_year", "end_year", "order", "summary"),
    ),
    Table(
        "agreements", "协议与文件：一份真实的文件一条记录", "Agreements and documents: one real document, one record",
        (
            slug(),
            Column("title", "string", "标题（无正式标题时为描述性标题）", "Title (a descriptive title when untitled)", required=True),
            Column("untitled", "boolean", "论文未给出正式标题", "The papers give no formal title", required=True,
                   default=False),
            Column("kind", "string", "文件类型", "Kind of document", required=True),
            *DATE_COLUMNS,
            Column("signatories_text", "string", "签署方（论文原文）", "Signatories as the paper words them"),
            Column("signatories_note", "string", "签署方与引文所列辖区不一致的原因",
                   "Why the signatories differ from the jurisdictions the quotes name"),
            Column("summary", "string", "摘要", "Summary"),
        ),
        primary_key=("slug",),
        rows=dated("agreement", "title", "untitled", "kind", "signatories_text", "signatories_note", "summary"),
    ),
    Table(
        "aliases", "别称：论文对同一事物的其他称呼", "Aliases: other wordings the papers use for the same thing",
        (
            Column("record_kind", "string", "记录类型", "Kind of record", required=True, enum=ALIAS_KINDS),
            ref("record_slug", "记录 slug", "Slug of the record", required=True),
            Column("alias", "string", "别称", "Alias", required=True),
        ),
        primary_key=("record_kind", "record_slug", "alias"), rows=alias_rows,
    ),
    Table(
        "mechanisms", "协作机制", "Cooperation mechanisms",
        (
            slug(),
            Column("name", "string", "名称", "Name", required=True),
            Column("category", "string", "类别", "Category", required=True),
            *DATE_COLUMNS,
            ref("established_by", "依据文件", "Agreement that established it"),
            Column("established_by_text", "string", "建立主体或场合（论文原文）", "Who or what established it, as the paper says"),
            ref("parent", "所属方案", "Scheme it is part of"),
            Column("order", "integer", "序号", "Order", required=True, minimum=0, default=0),
            Column("description", "string", "说明", "Description"),
            Column("title_only", "boolean", "仅见于依据文件的标题，论文未作描述",
                   "Known only from its agreement's title; the papers do not describe it", required=True, default=False),
        ),
        primary_key=("slug",),
        foreign_keys=((("established_by",), "agreements", ("slug",)), (("parent",), "mechanisms", ("slug",))),
        rows=dated("mechanism", "name", "category", "established_by", "established_by_text", "parent", "order", "description",
                   "title_only"),
    ),
    Table(
        "events", "事件", "Events",
        (
            slug(),
            Column("title", "string", "标题", "Title", required=True),
            *DATE_COLUMNS,
            Column("end_date", "string", "结束日期，精度同 date", "End date, at the precision given",
                   pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
            Column("description", "string", "说明", "Description"),
        ),
        primary_key=("slug",), rows=event_rows,
    ),
    Table(
        "findings", "论文的论点：成效、问题、对策", "Findings of the papers: achievements, problems, recommendations",
        (
            slug(),
            ref("source", "提出该论点的论文", "Paper that states it", required=True),
            Column("kind", "string", "类型", "Kind", required=True),
            Column("dimension", "string", "维度", "Dimension"),
            Column("order", "integer", "序号", "Order", required=True, minimum=0, default=0),
            ref("parent", "上级条目", "Parent item"),
            Column("title", "string", "标题", "Title", required=True),
            Column("text", "string", "内容", "Text"),
            Column("addresses_note", "string", "所回应问题的对应从何而来（论文未逐条写明时）",
                   "How the problems it addresses were matched, where the papers do not say"),
        ),
        primary_key=("slug",),
        foreign_keys=((("source",), "sources", ("slug",)), (("parent",), "findings", ("slug",))),
        rows=plain("finding", "source", "kind", "dimension", "order", "parent", "title", "text", "addresses_note"),
    ),
    Table(
        "figures", "数字：论文给出的统计数", "Figures: numbers the papers give",
        (
            slug(),
            Column("value", "number", "数值", "Value", required=True),
            Column("qualifier", "string", "限定（如「余」「近」）", "Qualifier (e.g. \"more than\", \"nearly\")"),
            Column("unit", "string", "单位", "Unit", required=True),
            Column("counts", "string", "统计对象", "What is counted", required=True),
            ref("region", "区域", "Region"),
            Column("year", "integer", "年份", "Year"),
            ref("mechanism", "相关机制", "Mechanism"),
        ),
        primary_key=("slug",),
        foreign_keys=((("region",), "regions", ("slug",)), (("mechanism",), "mechanisms", ("slug",))),
        rows=plain("figure", "value", "qualifier", "unit", "counts", "region", "year", "mechanism"),
    ),
    Table(
        "citations", "出处：每条记录所据论文的位置与原文摘录",
        "Citations: the paper, section and verbatim quote each record rests on",
        (
            Column("record_kind", "string", "记录类型", "Kind of record", required=True, enum=CITED_KINDS),
            ref("record_slug", "记录 slug", "Slug of the record", required=True),
            Column("order", "integer", "该记录出处的顺序", "Order among the record's citations", required=True, minimum=0, default=0),
            ref("source", "论文", "Paper", required=True),
            Column("locator", "string", "论文自身编号的章节位置，如「一、(二)」", "Section in the paper's own numbering, e.g. 一、(二)",
                   required=True),
            Column("quote", "string", "逐字摘录的原文", "Verbatim quote from the paper", required=True),
            ref("cites", "论文为此所引的参考文献", "Reference-list work the paper credits"),
        ),
        primary_key=("record_kind", "record_slug", "order"),
        foreign_keys=((("source",), "sources", ("slug",)), (("cites",), "sources", ("slug",))),
        rows=citation_rows,
    ),
    link_table("region_members", "region", "members", "region", "jurisdiction", "jurisdictions",
               "区域的成员辖区", "Member jurisdictions of a region", "区域", "Region", "成员辖区", "Member jurisdiction"),
    link_table("agreement_signatories", "agreement", "signatories", "agreement", "jurisdiction", "jurisdictions",
               "文件的签署辖区", "Jurisdictions that signed or issued a document", "文件", "Agreement", "签署辖区",
               "Signatory jurisdiction"),
    link_table("agreement_regions", "agreement", "regions", "agreement", "region", "regions",
               "文件涉及的区域", "Regions a document concerns", "文件", "Agreement", "区域", "Region"),
    link_table("agreement_implements", "agreement", "implements", "agreement", "implemented", "agreements",
               "文件贯彻落实的文件", "Documents a document implements", "文件", "Agreement", "被贯彻的文件",
               "Implemented agreement"),
    link_table("mechanism_regions", "mechanism", "regions", "mechanism", "region", "regions",
               "机制所在区域", "Regions of a mechanism", "机制", "Mechanism", "区域", "Region"),
    link_table("event_regions", "event", "regions", "event", "region", "regions",
               "事件所在区域", "Regions of an event", "事件", "Event", "区域", "Region"),
    link_table("event_agreements", "event", "agreements", "event", "agreement", "agreements",
               "事件相关的文件", "Agreements of an event", "事件", "Event", "文件", "Agreement"),
    link_table("event_mechanisms", "event", "mechanisms", "event", "mechanism", "mechanisms",
               "事件相关的机制", "Mechanisms of an event", "事件", "Event", "机制", "Mechanism"),
    link_table("finding_regions", "finding", "regions", "finding", "region", "regions",
               "论点涉及的区域", "Regions a finding concerns", "论点", "Finding", "区域", "Region"),
    link_table("finding_addresses", "finding", "addresses", "finding", "problem", "findings",
               "对策回应的问题", "Problems a recommendation addresses", "对策", "Recommendation", "问题", "Problem"),
)
