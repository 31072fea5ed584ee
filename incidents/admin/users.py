"""People in the workspace: who can be assigned, and the search behind user autocompletes.

Responders do not get the user directory (no `auth.view_user`); they may search people only
through the incident form's autocompletes, and the assignee search offers only people who
can work incidents.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

# Kept importable from here: the workspace's forms, filters and columns use it.
from incidents.actors import user_label as user_label
from incidents.roles import MANAGERS, RESPONDERS, can_work_incidents

User = get_user_model()


def assignable_users() -> QuerySet:
    """Active superusers and members of the two staff roles, by name (one query)."""
    members = Group.user_set.through.objects.filter(group__name__in=[RESPONDERS, MANAGERS])
    return User.objects.filter(
        Q(is_superuser=True) | Q(pk__in=members.values("user_id")), is_active=True
    ).order_by("first_name", "last_name", "username")


# Autocompletes that must offer only people who can work incidents.
_RESPONDER_FIELDS = {("incident", "assignee"), ("team", "lead"), ("team", "members")}


def _incidents_autocomplete(request) -> tuple[str, str] | None:
    """(model, field) when this request is an autocomplete of an incidents form."""
    match = request.resolver_match
    if match and match.url_name == "autocomplete" and request.GET.get("app_label") == "incidents":
        return request.GET.get("model_name", ""), request.GET.get("field_name", "")
    return None


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; staff without `auth.view_user` reach it only through the
    autocompletes of incident, team and service forms."""

    def has_view_permission(self, request, obj=None):
        if obj is None and _incidents_autocomplete(request):
            return can_work_incidents(request.user)
        return super().has_view_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = _incidents_autocomplete(request)
        if source:
            queryset = queryset.filter(is_active=True)
            if source in _RESPONDER_FIELDS:
                queryset = queryset.filter(pk__in=assignable_users().values("pk"))
        return queryset, may_have_duplicates
