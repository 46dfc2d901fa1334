from django.apps import AppConfig


class ExploreConfig(AppConfig):
    """Pages that set records side by side: the mechanism matrix, the region comparison, the charts.

    It reads the record apps through their querysets and nothing imports it (tests/test_floor_plan.py).
    """

    name = "explore"
    verbose_name = "比较与图表"
