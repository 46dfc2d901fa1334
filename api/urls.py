from django.urls import path

app_name = "api"
urlpatterns: list = []  # the REST API issue fills this
