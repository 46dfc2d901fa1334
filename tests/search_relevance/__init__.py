"""Relevance judgements for Chinese search, written from the two papers (shared/seeds/).

Each case is what a policy officer types, the record type searched and the record the papers
mean. ``first=True`` marks the key cases where that record must come first, not only in the top 5.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    query: str
    model: str  # app_label.model
    expected: str  # slug
    kind: str  # what the case exercises
    first: bool = False


A, M, E, R = "agreements.agreement", "mechanisms.mechanism", "timeline.event", "regions.region"

CASES = [
    # Exact titles, as paper 1 section 一 writes them.
    Case("京津冀警务协同发展的框架协议", A, "jjj-police-framework-2016", "exact title", True),
    Case("关于建立京津冀交界地区灭火救援联动协作机制的意见", A, "jjj-border-firefighting-opinion-2018", "exact title", True),
    Case("川渝刑事技术战略合作框架协议", A, "cy-criminal-technology-framework", "exact title", True),
    Case("苏浙皖沪三省一市公安机关区域警务合作章程", A, "yrd-regional-police-cooperation-charter-2010", "exact title", True),
    Case("《粤港澳三地警方合作备忘录》", A, "gba-police-cooperation-memorandum", "exact title with 《》", True),
    # Short names and aliases.
    Case("框架协议", A, "jjj-police-framework-2016", "alias (short name)", True),
    Case("京津冀警务协同发展框架协议", A, "jjj-police-framework-2016", "alias", True),
    Case("十四五规划", A, "fourteenth-five-year-plan", "short name", True),
    Case("护城河工程", A, "prc-60th-moat-project-work-agreement", "quoted term in title", True),
    Case("小京津冀", R, "tongwulang", "region alias", True),
    Case("双城经济圈", R, "cy", "region alias", True),
    Case("京警入冀", M, "jjj-cross-deployment-joint-enforcement", "mechanism alias", True),
    Case("联勤指挥", M, "jjj-ei-joint-command-system", "mechanism alias", True),
    # Single words.
    Case("禁毒", A, "cy-drug-control-community-agreement", "single word", True),
    Case("灭火救援", A, "jjj-border-firefighting-opinion-2018", "single word", True),
    Case("通武廊", A, "tongwulang-mechanism-document-2017", "single word (domain dictionary)", True),
    Case("传销", A, "jjj-anti-pyramid-selling-opinion-2018", "single word", True),
    Case("警犬", A, "cy-police-dog-technology-framework", "single word", True),
    Case("八个一体化", M, "jjj-eight-integrations", "scheme name (domain dictionary)", True),
    Case("五融", M, "jjj-five-fusions", "scheme name", True),
    Case("雷霆行动", M, "gba-thunder-operation", "mechanism name", True),
    Case("五粮液", E, "cy-wuliangye-counterfeit-liquor-cases", "single word", True),
    # Two-word queries.
    Case("长三角 章程", A, "yrd-regional-police-cooperation-charter-2010", "two words"),
    Case("万达开 行动方案", A, "wandakai-social-governance-action-plan-2023", "two words", True),
    Case("接壤地区 指挥", A, "jjj-border-command-opinion-2017", "two words", True),
    Case("经侦 专项合作", A, "jjj-economic-crime-special-agreement-2023", "two words", True),
    Case("进博会 安保", E, "ciie-shanghai-security", "two words", True),
    # Partial titles.
    Case("素质强警交流合作", A, "jjj-quality-policing-exchange-opinion-2018", "partial title", True),
    Case("森林防灭火联防联控", A, "cy-forest-fire-joint-prevention-agreement", "partial title", True),
    Case("示范区建设警务合作", A, "wandakai-demonstration-zone-police-agreement-2023", "partial title", True),
    Case("环首都七省区市", A, "huan-shoudu-seven-framework", "partial title", True),
    Case("双城经济圈建设警务合作", A, "cy-twin-city-police-framework", "partial title", True),
    Case("规划纲要", A, "jjj-coordinated-development-outline", "partial title"),
    # Traditional characters and full-width input.
    Case("粵港澳", A, "gba-police-cooperation-memorandum", "traditional", True),
    Case("刑事技術", A, "cy-criminal-technology-framework", "traditional", True),
    Case("長三角禁毒會戰", M, "csj-drug-control-campaign", "traditional", True),
    Case("川渝通辦", M, "cy-chuanyu-services", "traditional", True),
    Case("杭州Ｇ２０峰會", E, "hangzhou-g20-summit-security", "full-width + traditional", True),
]
