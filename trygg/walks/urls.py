from django.urls import path  # noqa: F401 - filled in by the app

app_name = "walks"
urlpatterns: list = []
