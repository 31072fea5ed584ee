"""History pages: every change with its field diffs; reverting is for incident managers.

django-simple-history's admin shows the diffs. Its Revert button saves the old values with
the model form; for incidents that would bypass the domain layer, so `IncidentHistoryMixin`
turns a revert into `incident_update` (and `incident_assign`) calls instead.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from incidents import services
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Incident
from incidents.roles import is_manager
from incidents.services.editing import EDITABLE_FIELDS


class ManagerRevertHistoryAdmin(SimpleHistoryAdmin):
    """History with diffs for anyone who may view the object; revert only for managers."""

    def revert_disabled(self, request, obj=None):
        return not is_manager(request.user) or super().revert_disabled(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm("auth.view_user"):
            # Names stay plain text instead of links to a user page they may not open.
            extra_context = {"admin_user_view": "admin:no-user-page", **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class IncidentHistoryMixin:
    """Revert an incident to an earlier version through the services (managers only).

    Only what an edit may change is restored (description, classification, assignment);
    status and workflow times move only through transitions."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        if self.revert_disabled(request):
            raise PermissionDenied
        incident = self.get_object(request, unquote(object_id))
        record = Incident.history.filter(id=incident.pk, history_id=version_id).first()
        if incident is None or record is None:
            raise Http404
        try:
            revert_incident(incident, record, actor=request.user)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                f"{incident.number} was reverted to its version of "
                f"{record.history_date:%Y-%m-%d %H:%M} (fields and assignment; the status "
                "only changes through its buttons).",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(incident.get_admin_url())


def revert_incident(incident: Incident, record, *, actor) -> Incident:
    """Apply an old version's editable fields and assignment as a new change."""
    changes = {name: getattr(record, name) for name in EDITABLE_FIELDS}
    incident = services.incident_update(
        incident=incident,
        actor=actor,
        via=Channel.ADMIN,
        expected_version=incident.version,
        reason=f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M} via Admin",
        **changes,
    )
    old = (record.team_id, record.assignee_id)
    if incident.is_open and any(old) and old != (incident.team_id, incident.assignee_id):
        incident = services.incident_assign(
            incident=incident,
            actor=actor,
            via=Channel.ADMIN,
            team=record.team,
            assignee=record.assignee,
            expected_version=incident.version,
        )
    return incident
