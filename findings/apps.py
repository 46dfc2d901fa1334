from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "findings"
    verbose_name = "问题、原则、建议与数据"
    # Its tables hold the curated dataset: writes to them move the dataset revision (records/revision.py).
    holds_dataset = True
