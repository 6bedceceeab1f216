from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: retention (gallring), backup and restore, the privacy page."""

    name = "trygg.operations"
    label = "operations"
    verbose_name = "Drift"
