"""The `template` field of the API's incident create (kept apart from preparedness.api so
the incident serializers can import it without importing the API views)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.roles import can_work_incidents
from preparedness.models import IncidentTemplate


@extend_schema_field(OpenApiTypes.STR)
class IncidentTemplateField(serializers.SlugRelatedField):
    """An active incident template's slug; end users may name public ones only. An unknown
    slug is a 400 on this field."""

    default_error_messages = {
        "does_not_exist": _("There is no incident template “{value}” you can use."),
        "invalid": _("Expected a template slug (a string)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault(
            "help_text",
            _(
                "Slug of an incident template (see /incident-templates/): its title, "
                "description, service, category, impact and urgency are used for the "
                "fields you do not send, and its checklist is added."
            ),
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        templates = IncidentTemplate.objects.filter(active=True)
        request = self.context.get("request")
        if request is None or not can_work_incidents(request.user):
            templates = templates.filter(public=True)
        return templates
