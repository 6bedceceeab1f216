from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="place_list"),
    path("platser.geojson", views.places_geojson, name="places_geojson"),
    path("ny/", views.place_create, name="place_create"),
    path("<int:pk>/andra/", views.place_edit, name="place_edit"),
]
