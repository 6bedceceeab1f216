from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "trygg.documents"
    label = "documents"
