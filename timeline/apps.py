from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "大事记"
    # Its tables hold the curated dataset: writes to them move the dataset revision (records/revision.py).
    holds_dataset = True
