from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "文献与引用"
    # Its tables hold the curated dataset: writes to them move the dataset revision (records/revision.py).
    holds_dataset = True
