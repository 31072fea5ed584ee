"""/api/v1/ endpoints, the OpenAPI schema and its interactive documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api.views.catalog import (
    CategoryViewSet,
    HoldReasonViewSet,
    MeView,
    ResolutionCodeViewSet,
    ServiceViewSet,
    TeamViewSet,
)
from api.views.docs import DocsView
from api.views.incidents import IncidentViewSet
from api.views.webhooks import WebhookEndpointViewSet
from drills.api import DrillViewSet
from messaging.api import ContactMethodViewSet, TeamChannelViewSet
from oncall.api.views import OnCallView, ScheduleViewSet
from paging.api import EscalationPolicyViewSet
from preparedness.api import IncidentTemplateViewSet, MessageTemplateViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("services", ServiceViewSet, basename="service")
router.register("teams", TeamViewSet, basename="team")
router.register("categories", CategoryViewSet, basename="category")
router.register("hold-reasons", HoldReasonViewSet, basename="hold-reason")
router.register("resolution-codes", ResolutionCodeViewSet, basename="resolution-code")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("contact-methods", ContactMethodViewSet, basename="contact-method")
router.register("team-channels", TeamChannelViewSet, basename="team-channel")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("escalation-policies", EscalationPolicyViewSet, basename="escalation-policy")
router.register("incident-templates", IncidentTemplateViewSet, basename="incident-template")
router.register("message-templates", MessageTemplateViewSet, basename="message-template")
router.register("drills", DrillViewSet, basename="drill")

urlpatterns = [
    path("api/v1/users/me/", MeView.as_view(), name="me"),
    path("api/v1/oncall/", OnCallView.as_view(), name="oncall"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
