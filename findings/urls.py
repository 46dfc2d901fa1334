from django.urls import path

from . import views

app_name = "findings"
urlpatterns = [
    path("", views.FindingSideBySideView.as_view(), name="list"),
    path("browse/", views.FindingListView.as_view(), name="browse"),
    path("figures/<slug:slug>/", views.FigureDetailView.as_view(), name="figure"),
    path("<slug:slug>/", views.FindingDetailView.as_view(), name="finding"),
]
