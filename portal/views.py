from django.conf import settings
from django.db.models import Count
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.models import Agreement
from findings.models import Figure, Finding
from mechanisms.models import Mechanism
from regions.models import Jurisdiction, Region, Stage
from sources.models import Source
from timeline.models import Event

LATEST_EVENTS = 6


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = [
            (_("协议与文件"), Agreement.objects.count(), "agreements:list"),
            (_("协作机制"), Mechanism.objects.count(), "mechanisms:list"),
            (_("大事记"), Event.objects.count(), "timeline:events"),
            (_("协作区域"), Region.objects.count(), "regions:list"),
            (_("辖区"), Jurisdiction.objects.count(), "regions:list"),
            (_("发展阶段"), Stage.objects.count(), "regions:list"),
            (_("论点"), Finding.objects.count(), "findings:browse"),
            (_("数据"), Figure.objects.count(), "findings:list"),
            (_("文献"), Source.objects.count(), "sources:list"),
        ]
        context["regions"] = (
            Region.objects.filter(parent__isnull=True).prefetch_related("children", "stages").annotate(n_members=Count("members"))
        )
        context["stages"] = Stage.objects.select_related("region").order_by("region", "order", "pk")
        # Latest first: the newest dated events (undated ones have no place in "latest").
        context["latest_events"] = Event.objects.with_regions().filter(date_year__isnull=False).order_by_date(descending=True)[:LATEST_EVENTS]
        context["papers"] = Source.objects.papers().order_by("year", "pk")
        return context


def choose_language(request, code):
    """Set the reader's interface language and send them back where they were (issue 10).

    A plain link, not Django's POSTed set_language form: a form would need {% csrf_token %}, and
    that token sets a cookie on every reader's first visit, which main's rule forbids (issue 14).
    So the language cookie is set only here, when the reader clicks. ``next`` must be a path on
    this site, so the switch cannot be used as an open redirect.
    """
    if code not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(gettext("没有这种界面语言。"), content_type="text/plain; charset=utf-8")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    # A redirect that sets a reader's cookie must never be stored by a shared cache.
    response["Cache-Control"] = "no-store"
    return response
