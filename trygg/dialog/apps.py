from django.apps import AppConfig


class DialogConfig(AppConfig):
    name = "trygg.dialog"
    label = "dialog"
    verbose_name = "Digital dialog"

    def ready(self) -> None:
        from .log_privacy import install

        install()  # no client address or user agent in any log record (docs/dialog.md)
