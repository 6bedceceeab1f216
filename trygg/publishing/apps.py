from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "trygg.publishing"
    label = "publishing"
    verbose_name = "Publicering"
