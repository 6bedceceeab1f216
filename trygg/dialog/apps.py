from django.apps import AppConfig


class DialogConfig(AppConfig):
    name = "trygg.dialog"
    label = "dialog"
    verbose_name = "Digital dialog"
