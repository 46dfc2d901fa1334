from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [
    path("", views.TimelineView.as_view(), name="index"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
]
