from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        from . import readmodel

        readmodel.connect()
        post_migrate.connect(fill_missing_lists, sender=self, dispatch_uid="api-lists-after-migrate")


def fill_missing_lists(using="default", **kwargs):
    """After every migrate, store the lists of records that have none (a new table, a raw load, an older layout)."""
    from .readmodel import refresh_missing_lists

    refresh_missing_lists()
