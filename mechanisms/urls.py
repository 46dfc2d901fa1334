from django.urls import path

from . import views

app_name = "mechanisms"
urlpatterns = [
    path("", views.MechanismListView.as_view(), name="list"),
    path("categories/", views.MechanismCategoriesView.as_view(), name="categories"),
    path("<slug:slug>/", views.MechanismDetailView.as_view(), name="detail"),
]
