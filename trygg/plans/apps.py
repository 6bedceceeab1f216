from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "trygg.plans"
    label = "plans"
