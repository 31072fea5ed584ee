"""Who may do what through the API. Authority comes from roles (group permissions), as
everywhere in the product; which incidents exist for a user is decided earlier, by
`Incident.objects.visible_to` (others' incidents answer 404, not 403). Rules on one
incident are `incidents.visibility`'s."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from incidents.roles import can_work_incidents, is_manager
from incidents.visibility import may_close, may_reopen

STAFF_ONLY = _("Only responders and incident managers can do this.")


class WorksIncidents(BasePermission):
    """Responders and managers: edit incidents and make every transition. Checked on the
    object, after the lookup, so an incident the user cannot see is a 404 first."""

    message = STAFF_ONLY

    def has_object_permission(self, request, view, obj):
        return can_work_incidents(request.user)


class MayClose(BasePermission):
    """`incidents.visibility.may_close`: the reporter, or staff who see it."""

    message = _("Only the person who reported it, or a responder, can do this.")

    def has_object_permission(self, request, view, obj):
        return may_close(request.user, obj)


class MayReopen(MayClose):
    """`incidents.visibility.may_reopen`."""

    def has_object_permission(self, request, view, obj):
        return may_reopen(request.user, obj)


class IsManager(BasePermission):
    """Incident managers: outgoing webhooks and other service-desk configuration."""

    message = _("Only incident managers can do this.")

    def has_permission(self, request, view):
        return is_manager(request.user)


class StaffReadManagersWrite(BasePermission):
    """Responders and managers read; only managers write (on-call schedules)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            self.message = STAFF_ONLY
            return can_work_incidents(request.user)
        self.message = IsManager.message
        return is_manager(request.user)
