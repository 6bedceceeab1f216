from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trygg.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the login/logout audit receivers
