"""What every record page shares: permalinks that survive a slug change, its API link and "Cite this record"."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.views.generic import DetailView

from records.models import FormerSlug

from .cite import FORMATS, RENDERERS, CitedRecordInfo, citable_model, papers_of
from .models import Source


def former_slug_redirect(model, slug: str, suffix: str = ""):
    """A 301 to the record that used to have this slug, or None."""
    content_type = ContentType.objects.get_for_model(model)
    former = FormerSlug.objects.filter(content_type=content_type, slug=slug).values_list("object_id", flat=True).first()
    record = model._default_manager.filter(pk=former).first() if former is not None else None
    if record is None:
        return None
    return HttpResponsePermanentRedirect(record.get_absolute_url() + suffix)


def cite_info(request, kind: str, record, papers: list) -> CitedRecordInfo:
    return CitedRecordInfo(
        kind=kind,
        slug=record.slug,
        title=str(record),
        url=request.build_absolute_uri(record.get_absolute_url()),
        updated=timezone.localdate(record.updated_at) if record.updated_at else timezone.localdate(),
        accessed=timezone.localdate(),
        papers=papers,
    )


def record_papers(record) -> list:
    if isinstance(record, Source) and record.kind == Source.Kind.PAPER:
        return [record]
    return papers_of(record, Source.objects.papers().in_bulk())


class RecordDetailView(DetailView):
    """A record's page by slug; an old slug answers 301 to the record's permalink."""

    cite_kind: str  # a key of sources.cite.CITABLE
    api_resource: str  # /api/v1/<api_resource>/<slug>/

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            redirect = former_slug_redirect(self.get_queryset().model, kwargs["slug"])
            if redirect is None:
                raise
            return redirect

    def get_context_data(self, **kwargs):
        record = self.object
        info = cite_info(self.request, self.cite_kind, record, record_papers(record))
        return super().get_context_data(
            api_url=f"/api/v1/{self.api_resource}/{record.slug}/",
            cite={name: render(info) for name, render in RENDERERS.items()},
            cite_kind=self.cite_kind,
            **kwargs,
        )


def cite_download(request, kind: str, slug: str, fmt: str):
    """/cite/<kind>/<slug>.<txt|bib|ris>: the record's citation as a file."""
    model = citable_model(kind)
    if model is None or fmt not in FORMATS:
        raise Http404("没有这种记录或引用格式。")
    queryset = model.objects.with_related() if hasattr(model.objects, "with_related") else model.objects.all()
    record = queryset.filter(slug=slug).first()
    if record is None:
        redirect = former_slug_redirect(model, slug)
        if redirect is None:
            raise Http404("没有这条记录。")
        return HttpResponsePermanentRedirect(f"/cite/{kind}/{redirect.url.rstrip('/').rsplit('/', 1)[-1]}.{fmt}")
    text = RENDERERS[fmt](cite_info(request, kind, record, record_papers(record)))
    response = HttpResponse(text, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{slug}.{fmt}"'
    return response
