from django.urls import path

from . import views

app_name = "mechanisms"
urlpatterns = [
    path("", views.MechanismListView.as_view(), name="list"),
    path("<slug:slug>/", views.MechanismDetailView.as_view(), name="detail"),
]
