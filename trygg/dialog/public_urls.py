"""The public, anonymous pages of the digital dialog (no login)."""

from django.urls import path  # noqa: F401 - filled in by the app

app_name = "dialog_public"
urlpatterns: list = []
