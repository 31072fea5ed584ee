"""Domain models of incident management. Writes go through `incidents.services`."""

from incidents.models.activity import Attachment, Comment, IncidentEvent
from incidents.models.catalog import Category, Service, Team
from incidents.models.config import HoldReason, PriorityRule, ResolutionCode, SLAPolicy
from incidents.models.incident import Incident, NumberSequence
from incidents.models.routing import RoutingRule

__all__ = [
    "Attachment",
    "Category",
    "Comment",
    "HoldReason",
    "Incident",
    "IncidentEvent",
    "NumberSequence",
    "PriorityRule",
    "ResolutionCode",
    "RoutingRule",
    "SLAPolicy",
    "Service",
    "Team",
]
