"""Included by portal/urls.py before the mechanisms and regions apps, whose ``<slug>/`` routes would
otherwise take ``matrix`` and ``compare`` for record slugs."""

from django.urls import path

from . import views

app_name = "explore"
urlpatterns = [
    path("mechanisms/matrix/", views.MechanismMatrixView.as_view(), name="matrix"),
    path("regions/compare/", views.RegionCompareView.as_view(), name="compare"),
    path("charts/", views.ChartsView.as_view(), name="charts"),
]
