"""History pages: every change with its field diffs; reverting is for incident managers.

django-simple-history's admin shows the diffs; `HistoryInWordsMixin` has them read as every
other history does (`incidents.changes`): names instead of ids, labels instead of codes,
moments in local time to the minute, and no lines for what did not change. Its Revert
button saves the old values with the model form; for incidents that would bypass the domain
layer, so `IncidentHistoryMixin` turns a revert into `incident_update` (and
`incident_assign`) calls instead.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from incidents import services
from incidents.changes import as_text, in_words, labels, when
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Incident
from incidents.roles import is_manager
from incidents.services.editing import EDITABLE_FIELDS


class HistoryInWordsMixin:
    """The history page's diffs and columns in words (see the module docstring). One query
    per related model on the page, whatever the number of rows."""

    object_history_list_template = "admin/history_list_in_words.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)  # newest first
        plain, listed = {}, {}
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            plain[newer.pk] = [
                (c.field, as_text(c.old), as_text(c.new))
                for c in delta.changes
                if not isinstance(c.new, list)
            ]
            listed[newer.pk] = [c for c in delta.changes if isinstance(c.new, list)]
        found = labels(self.model, [change for rows in plain.values() for change in rows])
        for record in records:
            if record.pk not in plain:
                continue
            helper = self.get_historical_record_context_helper(request, record)
            # Many-to-many values (lists of rows) keep django-simple-history's own wording.
            many = helper.context_for_delta_changes(SimpleNamespace(changes=listed[record.pk]))
            words = in_words(self.model, plain[record.pk], found)
            record.history_delta_changes = [
                {"field": field.capitalize(), "old": old, "new": new} for field, old, new in words
            ] + many


class ManagerRevertHistoryAdmin(HistoryInWordsMixin, SimpleHistoryAdmin):
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
                f"{when(record.history_date)} (fields and assignment; the status "
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
        reason=f"Reverted to the version of {when(record.history_date)} via Admin",
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
