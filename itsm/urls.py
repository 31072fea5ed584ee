from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from portal.views import status as portal_status
from reviews.api import MetricsView


def health(request):
    """Liveness probe for load balancers: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", RedirectView.as_view(url="/portal/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts_urls")),
    path("portal/", include("portal.urls")),
    path("notifications/", include("notifications.urls")),
    path("status/", portal_status.status_page, name="status"),
    path("api/v1/", include("integrations.urls")),
    path("api/v1/metrics/", MetricsView.as_view(), name="api-metrics"),
    path("", include("api.urls")),
    path("healthz", health, name="health"),
]
