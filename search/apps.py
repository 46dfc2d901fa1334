from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "中文检索"

    def ready(self):
        from . import checks, signals  # noqa: F401 — checks registers itself

        signals.connect()
