from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "区域警务协作知识库"
