"""Filters and ordering of the incident list (django-filter), declared once."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from incidents.choices import Channel, Priority, Status
from incidents.models import Incident
from incidents.search import incident_search

SEARCH_MAX_LENGTH = 200  # a title's length; longer is a 400 naming the parameter


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.TypedChoiceFilter):
    """`true` or `false`; anything else is a 400 rather than silently ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(coerce=lambda value: value == "true", **kwargs)


class IncidentFilter(filters.FilterSet):
    """Every filter narrows what the user may already see (`visible_to`)."""

    status = filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="Repeat for several: ?status=new&status=on_hold"
    )
    priority = filters.MultipleChoiceFilter(choices=Priority.choices)
    service = filters.CharFilter(field_name="service__slug", help_text="Service slug.")
    team = filters.CharFilter(field_name="team__slug", help_text="Team slug.")
    assignee = filters.CharFilter(field_name="assignee__username", help_text="Username.")
    reporter = filters.CharFilter(field_name="reporter__username", help_text="Username.")
    channel = filters.ChoiceFilter(choices=Channel.choices)
    major = StrictBooleanFilter()
    sla_breached = StrictBooleanFilter(method="filter_sla_breached")
    opened_after = filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="gte")
    opened_before = filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="lt")
    search = filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=(
            "A number (INC0001234), or words in the title or description: every word, "
            "in any form (printer finds printers, wifi finds Wi-Fi), close typos too."
        ),
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def is_valid(self) -> bool:
        """An empty `?opened_after=` is a mistake worth naming, not a filter to drop."""
        valid = super().is_valid()
        empty = [
            name
            for name, field in self.filters.items()
            if not isinstance(field, filters.CharFilter) and "" in self.data.getlist(name)
        ]
        for name in empty:
            self.form.add_error(name, _("Give a value or leave the parameter out."))
        return valid and not empty

    def filter_sla_breached(self, queryset, name, value):
        return queryset.breached_is(value)

    def filter_search(self, queryset, name, value):
        return incident_search(queryset, value)


class StableOrderingFilter(OrderingFilter):
    """`?ordering=-priority,opened_at`; always ends with the primary key so rows that tie
    keep one order, which cursor pagination relies on."""

    ordering_description = (
        "Comma-separated fields among opened_at, number, priority, updated_at; prefix with "
        "- for descending. Default: -opened_at (newest first)."
    )

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or ["-opened_at"])
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return ordering
