from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("jurisdictions/<slug:slug>/", views.JurisdictionDetailView.as_view(), name="jurisdiction"),
    path("stages/<slug:slug>/", views.StageDetailView.as_view(), name="stage"),
    path("<slug:slug>/", views.RegionDetailView.as_view(), name="detail"),
]
