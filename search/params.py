"""The query parameters of /api/v1/search/, /api/v1/search/suggest/ and the /search/ page, read in one place.

Each caller asks ``parse_search`` or ``parse_suggest`` for the parsed request or the reason it is
bad (a message for people and the per-field errors), so the API and the page accept and refuse
exactly the same query strings with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from records.dates import MAX_YEAR, MIN_YEAR
from records.filters import YEARS_REVERSED
from records.messages import bounded, bounded_errors, excerpt
from regions.models import Region, Stage

from .backends import Filters
from .models import SearchDocument
from .query import MAX_QUERY_LENGTH
from .suggest import MAX_SUGGEST_QUERY
from .text import QueryPlan, query_plan

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def query_field(max_length: int, *, blank: str, required: str, too_long: str) -> serializers.CharField:
    """The ``q`` parameter: trimmed text of 1 to ``max_length`` characters, each refusal in words."""
    return serializers.CharField(
        max_length=max_length,
        trim_whitespace=True,
        error_messages={"blank": blank, "required": required, "max_length": too_long, "invalid": "q 必须是文本。"},
    )


class StrictIntegerField(serializers.IntegerField):
    """DRF's IntegerField, but only ASCII digits: the schema's ``integer`` (issue 14).

    DRF's own also reads "2000.0", " 2000" and full-width "２０００", which the schema refuses.
    """

    INTEGER = re.compile(r"-?[0-9]+", re.ASCII)

    def to_internal_value(self, data):
        if not (isinstance(data, int) or (isinstance(data, str) and self.INTEGER.fullmatch(data))):
            self.fail("invalid")
        return super().to_internal_value(data)


class SearchParameters(serializers.Serializer):
    # Messages are lazy, so the search page speaks the reader's language; the API activates Chinese.
    q = query_field(
        MAX_QUERY_LENGTH,
        blank=_("请输入检索词：q 为空。"),
        required=_("请输入检索词：缺少 q。"),
        too_long=_("检索词过长：最多 {max_length} 个字符。"),
    )
    type = serializers.ListField(child=serializers.ChoiceField(choices=SearchDocument.Kind.choices), required=False)
    region = serializers.SlugField(required=False)
    stage = serializers.SlugField(required=False)
    year_from = StrictIntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = StrictIntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    page = StrictIntegerField(required=False, min_value=1, default=1)
    page_size = StrictIntegerField(required=False, min_value=1, default=DEFAULT_PAGE_SIZE)

    def to_internal_value(self, data):
        # `type` may be repeated (?type=agreement&type=event) or comma-separated.
        if hasattr(data, "getlist") and "type" in data:
            data = data.copy()
            data.setlist("type", [t for v in data.getlist("type") for t in v.split(",") if t.strip()])
        return super().to_internal_value(data)

    def validate_region(self, slug):
        ids = Region.objects.with_descendants(slug)
        if not ids:
            raise serializers.ValidationError(_("没有 slug 为「%(value)s」的协作区域。") % {"value": excerpt(slug)})
        return ids

    def validate_stage(self, slug):
        stage = Stage.objects.filter(slug=slug).first()
        if stage is None:
            raise serializers.ValidationError(_("没有 slug 为「%(value)s」的发展阶段。") % {"value": excerpt(slug)})
        return stage.pk

    def validate_page_size(self, value):
        return min(value, MAX_PAGE_SIZE)

    def validate(self, attrs):
        if attrs.get("year_from") and attrs.get("year_to") and attrs["year_from"] > attrs["year_to"]:
            raise serializers.ValidationError({"year_to": YEARS_REVERSED % {"year_to": attrs["year_to"], "year_from": attrs["year_from"]}})
        return attrs


class SuggestParameters(serializers.Serializer):
    q = query_field(
        MAX_SUGGEST_QUERY,
        blank="请输入要联想的内容：q 为空。",
        required="请输入要联想的内容：缺少参数 q。",
        too_long=f"输入过长：q 最多 {MAX_SUGGEST_QUERY} 个字符。",
    )


@dataclass(frozen=True)
class Refusal:
    """Why a query string was refused: one message for people, and the errors of each field."""

    detail: str
    errors: dict


@dataclass(frozen=True)
class SearchRequest:
    q: str
    plan: QueryPlan
    filters: Filters
    page: int
    page_size: int


def first_message(errors) -> str:
    """The first error as one sentence; a field other than q is named in it."""
    for name, messages in errors.items():
        text = messages[0] if isinstance(messages, list) else messages
        if isinstance(text, dict):
            text = next(iter(text.values()))
        if isinstance(text, list):
            text = text[0]
        return bounded(text) if name in ("q", "non_field_errors") else bounded(_("%(field)s：%(message)s") % {"field": name, "message": text})
    return str(_("请求参数有误。"))


def _refusal(errors) -> Refusal:
    return Refusal(first_message(errors), bounded_errors(errors))


def parse_search(query_params) -> SearchRequest | Refusal:
    params = SearchParameters(data=query_params)
    if not params.is_valid():
        return _refusal(params.errors)
    p = params.validated_data
    filters = Filters(
        kinds=p.get("type") or None,
        region_ids=p.get("region"),
        stage_ids=[p["stage"]] if p.get("stage") else None,
        year_from=p.get("year_from"),
        year_to=p.get("year_to"),
    )
    return SearchRequest(p["q"], query_plan(p["q"]), filters, p["page"], p["page_size"])


def parse_suggest(query_params) -> str | Refusal:
    """The text typed so far, or why it was refused."""
    params = SuggestParameters(data=query_params)
    if not params.is_valid():
        return _refusal(params.errors)
    return params.validated_data["q"]
