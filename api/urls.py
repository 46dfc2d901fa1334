from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .exceptions import not_found

app_name = "api"

router = SimpleRouter()
for viewset in views.RESOURCES:
    router.register(viewset.resource, viewset, basename=viewset.queryset.model._meta.model_name)

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("deleted/", views.DeletedView.as_view(), name="deleted"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: any other path under /api/v1/ is a JSON 404, not the portal's HTML error page.
    re_path(r"^.*$", not_found),
]
