from django.urls import path

app_name = "search"
urlpatterns: list = []  # the cross-type /api/v1/search/ endpoint lands here (Chinese search issue)
