"""The paginator the list pages and the API share (records/pages.py, api/pagination.py)."""

from django.core.paginator import Paginator


class RecordPaginator(Paginator):
    """Django's paginator, reading a page of records through ``rows_between`` when they have it.

    Deep pages then cost what the first one does (records/querysets.py, ``rows_between``); other
    querysets and lists are sliced as Django's own paginator slices them.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows_between = getattr(self.object_list, "rows_between", None)
        rows = rows_between(bottom, top) if rows_between else self.object_list[bottom:top]
        return self._get_page(rows, number, self)
