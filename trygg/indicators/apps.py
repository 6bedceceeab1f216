from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "trygg.indicators"
    label = "indicators"
