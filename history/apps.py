from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Who changed which record, when, from where, and what it was before (issue 14, "Security").

    The history is written by database triggers (django-pghistory), so the admin, the loader, the
    shell, bulk writes and raw SQL are all recorded. Its tables are not part of the dataset: they
    have no ``holds_dataset`` flag, so writing an event does not count as a dataset change of its own.
    """

    name = "history"
    verbose_name = "修改历史"
