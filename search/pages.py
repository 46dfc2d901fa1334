"""/search/?q=: the search page, every record type at once, with what /api/v1/search/ answers.

The page reads the API view's own pieces (its parameters, the backend's ranking, its snippets and
facets), so a page and ``/api/v1/search/`` with the same query string show the same records in
the same order.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from records.links import slug_url
from regions.models import Region

from .backends import backend
from .highlight import highlight
from .models import SearchDocument
from .params import Refusal, parse_search
from .suggest import PAGES  # each type's page: a document carries its slug, so no record is read
from .views import SearchView


def page_results(hits, plan) -> list[dict]:
    """A page of hits as the API shapes them, read from the search documents alone: one query, whatever the types."""
    docs = SearchDocument.objects.in_bulk([h.doc_id for h in hits])
    labels = dict(SearchDocument.Kind.choices)
    results = []
    for h in hits:
        doc = docs.get(h.doc_id)
        if doc is None or doc.kind not in PAGES:
            continue
        title_html, _ = highlight(doc.title, plan.terms, window=False)
        snippet, matched = highlight(doc.body, plan.terms)
        results.append({
            "type": doc.kind,
            "type_label": labels.get(doc.kind, doc.kind),
            "title_highlighted": title_html,
            "snippet": snippet if matched else title_html,
            "html_url": slug_url(PAGES[doc.kind], doc.slug),
        })
    return results

# Shown when nothing matches: names the knowledge base certainly holds (paper 1 and paper 2's regions and schemes).
SUGGESTIONS = ["京津冀", "长三角", "通武廊", "八个一体化", "京警入冀", "禁毒", "情报信息共享", "联席会议"]


def search_page(request):
    context = {"site_query": request.GET.get("q", ""), "suggestions": SUGGESTIONS, "params": request.GET}
    if "q" not in request.GET:
        return render(request, "search/page.html", context)
    parsed = parse_search(request.GET)
    if isinstance(parsed, Refusal):
        context["error"] = parsed.detail
        return render(request, "search/page.html", context, status=400)
    plan = parsed.plan
    hits = backend().search(plan, parsed.filters) if plan else []
    page, size = parsed.page, parsed.page_size
    pages = max(1, -(-len(hits) // size))
    if page > pages:
        context["error"] = _("没有第 %(page)s 页：共 %(pages)s 页。") % {"page": page, "pages": pages}
        return render(request, "search/page.html", context, status=404)
    window = hits[(page - 1) * size : page * size]
    results = page_results(window, plan)
    facets = SearchView._facets([h.doc_id for h in hits])
    query = request.GET.copy()
    query.pop("page", None)

    def link(name, value):
        q = query.copy()
        if value is None:
            q.pop(name, None)
        else:
            q[name] = value
        return f"?{q.urlencode()}"

    for name in ("type", "region"):
        for value in facets[name]:
            value["link"] = link(name, value["value"])
            value["selected"] = request.GET.get(name) == value["value"]
    selected_region = Region.objects.filter(slug=request.GET.get("region")).first() if request.GET.get("region") else None

    def page_link(number):
        q = request.GET.copy()
        q["page"] = str(number)
        return f"?{q.urlencode()}"

    context.update(
        q=parsed.q,
        count=len(hits),
        results=results,
        facets=facets,
        clear_type=link("type", None) if request.GET.get("type") else None,
        clear_region=link("region", None) if request.GET.get("region") else None,
        selected_region=selected_region,
        page=page,
        pages=pages,
        previous=page_link(page - 1) if page > 1 else None,
        next=page_link(page + 1) if page < pages else None,
        api_url=f"/api/v1/search/?{request.GET.urlencode()}",
    )
    return render(request, "search/page.html", context)
