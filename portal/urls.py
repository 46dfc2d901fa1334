from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from opendata.feeds import ChangedRecordsFeed
from opendata.sitemaps import SITEMAPS
from opendata.views import robots_txt

from search.pages import search_page
from sources.pages import cite_download

from .views import HomeView, choose_language

# The admin says whose it is, not "Django administration" (issue 10).
admin.site.site_header = "区域警务协作知识库 · 管理"
admin.site.site_title = "区域警务协作知识库管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Before mechanisms/ and regions/, whose <slug>/ routes would take "matrix" and "compare".
    path("", include("explore.urls")),
    path("agreements/", include("agreements.urls")),
    path("mechanisms/", include("mechanisms.urls")),
    path("regions/", include("regions.urls")),
    path("timeline/", include("timeline.urls")),
    path("findings/", include("findings.urls")),
    path("sources/", include("sources.urls")),
    path("data/", include("opendata.urls")),
    path("search/", search_page, name="search_page"),
    path("cite/<slug:kind>/<slug:slug>.<slug:fmt>", cite_download, name="cite"),
    # An index of one paged sitemap per record section (opendata/sitemaps.py); Http404 for an
    # unknown section or a page that is not there (?p=999, ?p=abc).
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots"),
    path("feed/", ChangedRecordsFeed(), name="feed"),
    path("api/v1/search/", include("search.urls")),
    path("api/v1/", include("api.urls")),
    # The language switch is a link (portal/views.py): no form, so no CSRF cookie for readers.
    path("i18n/lang/<str:code>/", choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
]

# Small standalone pages in the reader's language, JSON under /api/ (portal/errors.py).
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
