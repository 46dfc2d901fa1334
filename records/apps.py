from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class RecordsConfig(AppConfig):
    """The building blocks every knowledge-base record is made of; it imports no other app."""

    name = "records"
    verbose_name = "记录基础"

    def ready(self):
        from .revision import install_triggers

        # Sent once per app after the whole migrate has run, so every table to watch exists by then.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="records-dataset-revision-triggers")
        from .models import remember_former_slug

        # Every model: a record kind is recognised by its base class (or keeps_former_slugs), not listed here.
        pre_save.connect(remember_former_slug, dispatch_uid="records-former-slugs")
