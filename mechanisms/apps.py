from django.apps import AppConfig


class MechanismsConfig(AppConfig):
    name = "mechanisms"
    verbose_name = "协作机制"
