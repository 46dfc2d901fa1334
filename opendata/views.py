"""The Data page: published releases, and the release files themselves."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.generic import TemplateView

from .release import RELEASE_NAME, releases_published


class DataView(TemplateView):
    template_name = "opendata/data.html"

    def get_context_data(self, **kwargs):
        releases = releases_published(settings.PORTAL_RELEASES_DIR)
        return {**super().get_context_data(**kwargs), "releases": releases, "latest": releases[0] if releases else None}


def release_file(request, name):
    """A release's zip. Only names of the release pattern are served, so no path can leave the directory."""
    if not RELEASE_NAME.match(name):
        raise Http404("没有这个数据发布。")
    path = settings.PORTAL_RELEASES_DIR / f"{name}.zip"
    if not path.is_file():
        raise Http404("没有这个数据发布。")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip")


def robots_txt(request):
    """Crawlers may read every page but the admin; the sitemap index leads to every record page."""
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
