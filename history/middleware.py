"""Every change made through a request is recorded with its user and the client's address."""

from django.db import connection
from pghistory.middleware import HistoryMiddleware
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    # DRF's reading of the address: REMOTE_ADDR, or the NUM_PROXIES-th hop from the right of
    # X-Forwarded-For when the portal runs behind that many proxies (a forged hop is ignored).
    return BaseThrottle().get_ident(request)


class HistoryContextMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and path), plus the address, the user's name, and the road."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        context["username"] = user.get_username() if user is not None and user.is_authenticated else ""
        context["address"] = client_address(request)
        context["via"] = "admin" if request.path.startswith("/admin/") else "web"
        return context

    def __call__(self, request):
        if connection.vendor != "postgresql":  # the context is a PostgreSQL setting
            return self.get_response(request)
        return super().__call__(request)
