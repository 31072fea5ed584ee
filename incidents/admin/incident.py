"""The incident admin, assembled from the list, actions, change page, views and history."""

from django.contrib import admin

from incidents.admin.actions import IncidentActionsMixin
from incidents.admin.change import IncidentChangeMixin
from incidents.admin.change_display import IncidentDisplayMixin
from incidents.admin.history import IncidentHistoryMixin, ManagerRevertHistoryAdmin
from incidents.admin.incident_list import IncidentListMixin
from incidents.admin.views import IncidentViewsMixin
from incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(
    IncidentListMixin,
    IncidentActionsMixin,
    IncidentChangeMixin,
    IncidentDisplayMixin,
    IncidentViewsMixin,
    IncidentHistoryMixin,
    ManagerRevertHistoryAdmin,
):
    """The responder workspace for incidents. Authority comes from the role permissions:
    view/change to work incidents, `transition_incident` for workflow steps and actions,
    `merge_incident` (managers) for merging. Nobody deletes incidents: they are cancelled."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_transition_permission(self, request, obj=None):
        return request.user.has_perm("incidents.transition_incident")

    def has_merge_permission(self, request, obj=None):
        return request.user.has_perm("incidents.merge_incident")
