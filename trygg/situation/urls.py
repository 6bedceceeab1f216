from django.urls import path

app_name = "situation"
urlpatterns: list = []
