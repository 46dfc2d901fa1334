from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The building blocks every knowledge-base record is made of; it imports no other app."""

    name = "records"
    verbose_name = "记录基础"
