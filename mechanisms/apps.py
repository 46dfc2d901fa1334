from django.apps import AppConfig


class MechanismsConfig(AppConfig):
    name = "mechanisms"
    verbose_name = "协作机制"
    # Its tables hold the curated dataset: writes to them move the dataset revision (records/revision.py).
    holds_dataset = True
