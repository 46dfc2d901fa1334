"""The anonymous throttle, in a module of its own: DRF's settings import it while DRF's views load."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Anonymous rate from ``API_ANON_THROTTLE_RATE`` (e.g. "100/min"; unset means no limit).

    Read per request rather than from DRF's import-time defaults, so a deployment (or a test)
    that changes the setting is obeyed without re-importing DRF. The caller is told apart by
    DRF's ``get_ident``: the address ``NUM_PROXIES`` trusted proxies report, never the whole
    client-written ``X-Forwarded-For``.
    """

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE
