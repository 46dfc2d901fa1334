from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from opendata.feeds import ChangedRecordsFeed
from opendata.sitemaps import SITEMAPS
from opendata.views import robots_txt

from .views import HomeView

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
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("feed/", ChangedRecordsFeed(), name="feed"),
    path("api/v1/search/", include("search.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Small standalone pages in the reader's language, JSON under /api/ (portal/errors.py).
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
