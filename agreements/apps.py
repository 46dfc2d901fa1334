from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "协议与文件"
    # Its tables hold the curated dataset: writes to them move the dataset revision (records/revision.py).
    holds_dataset = True
