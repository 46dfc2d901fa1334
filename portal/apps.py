from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "区域警务协作知识库"

    def ready(self):
        from django.conf import settings

        if settings.DATABASE_REPLICAS:
            from .db_router import connect_signals

            connect_signals()
