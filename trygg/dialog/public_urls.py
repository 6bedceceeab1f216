"""The public, anonymous pages of the digital dialog (no login)."""

from django.urls import path

from . import public_views

app_name = "dialog_public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<int:pk>/", public_views.submit, name="submit"),
    path("<int:pk>/kvitto/<str:receipt>/", public_views.receipt, name="receipt"),
    path("<int:pk>/resultat/", public_views.results, name="results"),
]
