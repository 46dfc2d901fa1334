from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.filters import AgreementFilterSet
from agreements.models import Agreement
from records.dates import date_line
from records.pages import LAST_PAGE, PageForm, RecordListPage
from regions.models import Region, Stage
from search.snippets import mark_matches
from sources.pages import RecordDetailView

from . import entries as timeline
from .filters import EventFilterSet
from .models import Event

# The parameters the timeline shares with the lists and the API (records/filters.py), validated by
# the same FilterSets; ``type`` is the timeline's own (which kinds of record it draws).
SHARED_PARAMETERS = ("region", "stage", "year_from", "year_to", "search")
# Records per page of the timeline, in date order. The papers' records fit on one page; 10,000
# agreements drawn and listed at once made a 6 MB page that took 4 s to render (issue 14, "Load
# and scale"), and no reader can use ten thousand marks on one axis anyway.
PAGE_SIZE = 100


class TypeForm(forms.Form):
    type = forms.MultipleChoiceField(
        choices=[(timeline.AGREEMENT, _("协议与文件")), (timeline.EVENT, _("大事记"))],
        required=False,
        error_messages={"invalid_choice": _("类型只能是 agreement（协议与文件）或 event（大事记），收到「%(value)s」。")},
    )


class TimelineView(TemplateView):
    """Agreements and events on one timeline: a list by stage and year, and the data the visual timeline draws.

    Read through the querysets (``for_timeline()``, ``Region.objects.tree()``); this view only
    validates the query string and shapes the groups (timeline/entries.py).
    """

    template_name = "timeline/index.html"

    def get(self, request, *args, **kwargs):
        shared = QueryDict(mutable=True)
        for name in SHARED_PARAMETERS:
            # An empty field of the page's own form means "not set", as an absent one does.
            given = [value for value in request.GET.getlist(name) if value.strip()]
            if given:
                shared.setlist(name, given)
        type_form = TypeForm(request.GET)
        pages = PageForm({"page": request.GET.get("page")} if request.GET.get("page") != LAST_PAGE else {})
        agreements, events = Agreement.objects.for_timeline(), Event.objects.for_timeline()
        forms_to_check = [type_form, pages]
        if shared:
            # Only a filtered timeline needs the FilterSets (building their forms costs a few ms).
            agreement_filters = AgreementFilterSet(shared, queryset=agreements)
            forms_to_check.append(agreement_filters.form)
            agreements, events = agreement_filters.qs, EventFilterSet(shared, queryset=events).qs
        errors = []
        for form in forms_to_check:
            if not form.is_valid():
                errors += [f"{name}：{message}" for name, messages in form.errors.items() for message in messages]
        context = self.get_context_data(shared=shared, **kwargs)
        if errors:
            context.update(errors=errors)
            return self.render_to_response(context, status=400)
        types = type_form.cleaned_data["type"] or [timeline.AGREEMENT, timeline.EVENT]
        drawn = {timeline.AGREEMENT: agreements, timeline.EVENT: events}
        paginator = Paginator(date_line(**{kind: drawn[kind] for kind in types}), PAGE_SIZE)
        number = paginator.num_pages if request.GET.get("page") == LAST_PAGE else pages.cleaned_data.get("page") or 1
        if number > paginator.num_pages and not (number == 1 and paginator.count == 0):
            message = gettext("没有第 %(page)s 页：共 %(pages)s 页。") % {"page": number, "pages": paginator.num_pages}
            context.update(errors=[f"page：{message}"])
            return self.render_to_response(context, status=404)
        page = paginator.page(number)
        # The page's records, read in full: only their ids were ordered and counted.
        listed = {kind: [key[1] for key in page.object_list if key[0] == kind] for kind in types}
        found = timeline.entries_from(
            Agreement.objects.for_timeline().filter(pk__in=listed[timeline.AGREEMENT]).order_by("pk") if timeline.AGREEMENT in types else [],
            Event.objects.for_timeline().filter(pk__in=listed[timeline.EVENT]).order_by("pk") if timeline.EVENT in types else [],
        )
        tree, stages = context["tree"], context["stages"]
        timeline.assign_lanes(found, tree)
        groups, undated = timeline.group_by_stage_and_year(found, stages)
        lane_names = {timeline.NO_REGION: str(_("未标区域"))}
        context.update(
            types=types,
            groups=groups,
            undated=undated,
            count=paginator.count,
            page=page,
            paginator=paginator,
            page_links=RecordListPage.page_links(request.GET, page),
            drawing=timeline.drawing_data(found, tree, stages, lane_names),
            filtered=any(shared.values()) or set(types) != {timeline.AGREEMENT, timeline.EVENT},
        )
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        shared = kwargs.pop("shared")
        tree = Region.objects.tree()
        stages = list(Stage.objects.select_related("region").order_by("region", "order", "pk"))
        staged_regions = sorted({s.region.name for s in stages})
        return super().get_context_data(
            tree=tree,
            stages=stages,
            staged_regions=staged_regions,
            values={name: shared.get(name, "") for name in SHARED_PARAMETERS},
            types=self.request.GET.getlist("type") or [timeline.AGREEMENT, timeline.EVENT],
            **kwargs,
        )


class EventListView(RecordListPage):
    """/timeline/events/: takes /api/v1/events/'s query string and lists the same records in the same order."""

    template_name = "timeline/events.html"
    filterset_class = EventFilterSet
    api_resource = "events"
    title = _("大事记")
    stage_facet = year_facet = True

    def base_queryset(self):
        return Event.objects.with_related().order_by_date()

    def extra_context(self, filterset, context):
        if context["search"]:
            mark_matches(context["records"], context["search"], "title", ("description",))
        return {}


class EventDetailView(RecordDetailView):
    template_name = "timeline/event.html"
    context_object_name = "event"
    cite_kind, api_resource = "event", "events"

    def get_queryset(self):
        return Event.objects.with_related()
