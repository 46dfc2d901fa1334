from django.contrib import admin
from django.urls import include, path

from .views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("agreements/", include("agreements.urls")),
    path("mechanisms/", include("mechanisms.urls")),
    path("regions/", include("regions.urls")),
    path("timeline/", include("timeline.urls")),
    path("findings/", include("findings.urls")),
    path("sources/", include("sources.urls")),
    path("data/", include("opendata.urls")),
    path("api/v1/search/", include("search.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
