"""Page-number pagination whose parameters are validated like any filter (issue 3, "Pagination")."""

from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from records.filters import StrictIntegerField
from records.paging import RecordPaginator


class PageForm(forms.Form):
    page = StrictIntegerField(min_value=1, required=False)
    page_size = StrictIntegerField(min_value=1, required=False)


class PortalPagination(PageNumberPagination):
    """``page`` and ``page_size`` (default 20, capped at 100).

    DRF's own class answers a malformed ``page`` with 404 and silently replaces a malformed
    ``page_size`` by the default; a malformed value is the caller's mistake, so it is a 400 here.
    A ``page_size`` above the cap is served at the cap, and a page past the last one is a 404.
    """

    page_size = 20
    # Deep pages as fast as the first (records/paging.py).
    django_paginator_class = RecordPaginator
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "页码，从 1 开始（也可写 last）。超出最后一页时返回 404。"
    page_size_query_description = "每页条数，默认 20，超过 100 按 100 计。"

    def check_parameters(self, request) -> None:
        """A 400 for a malformed ``page`` or ``page_size``."""
        params = {name: request.query_params.get(name) for name in ("page", "page_size")}
        if params["page"] in self.last_page_strings:
            params["page"] = None
        form = PageForm(params)
        if not form.is_valid():
            raise ValidationError(form.errors)

    def paginate_queryset(self, queryset, request, view=None):
        self.check_parameters(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                # A number from 1, or the word DRF reads as the last page.
                parameter["schema"] = {
                    "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": list(self.last_page_strings)}]
                }
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        notes = {
            "count": "符合条件的记录总数。",
            "next": "下一页的地址；最后一页为 null。",
            "previous": "上一页的地址；第一页为 null。",
            "results": "本页的记录。",
        }
        for name, text in notes.items():
            described["properties"][name]["description"] = text
        return described


class RecordPagination(PortalPagination):
    """A resource's list: the envelope also carries ``deleted`` when the caller asked ``updated_since``.

    The view sets ``deleted`` (the slugs gone since then) before the page is answered; ``None``
    leaves the envelope as it is for every other request.
    """

    deleted: list[str] | None = None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.deleted is not None:
            response.data["deleted"] = self.deleted
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["deleted"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": (
                "只在给出 updated_since 时出现：此后删除（或改了 slug）、现在已不存在的本类记录的 slug，"
                "按消失时间先后；每页相同，不受其他筛选条件和分页影响。镜像以 slug 为键：先按 results 更新，"
                "再删去这些 slug，即与完整列表一致。逐条的时间和 id 见 /api/v1/deleted/。"
            ),
        }
        return described
