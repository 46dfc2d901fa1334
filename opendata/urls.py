from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.DataView.as_view(), name="data"),
    path("releases/<str:name>.zip", views.release_file, name="release"),
]
