from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "协议与文件"
