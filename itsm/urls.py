from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from itsm import probes
from reports.api import MetricsView

# A database outage anywhere answers 503, not 500 (itsm/outage.py).
handler500 = "itsm.outage.server_error"


urlpatterns = [
    path("", RedirectView.as_view(url="/portal/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts_urls")),
    path("", include("identity.urls")),
    path("portal/kb/", include("knowledge.urls")),
    path("portal/", include("portal.urls")),
    path("notifications/", include("notifications.urls")),
    path("rate/", include("satisfaction.urls")),
    path("status/", include("statuspage.urls")),
    path("preferences/", include("profiles.urls")),
    path("oncall/", include("oncall.urls")),
    path("ack/", include("paging.urls")),
    path("api/v1/", include("integrations.urls")),
    path("api/v1/metrics/", MetricsView.as_view(), name="api-metrics"),
    path("api/v1/", include("knowledge.api")),
    path("", include("api.urls")),
    # Answered by itsm.probes.ProbeMiddleware first; routed too so they can be reversed.
    path("healthz", probes.liveness, name="health"),
    path("readyz", probes.readiness, name="ready"),
]
