"""Extra views of the incident admin: workflow buttons, watching, declaring major, marking
confidential, and the attachment download. All are POST-only where they change something,
CSRF-protected and permission-checked by `admin_view`, and each change goes through its
service."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from incidents import services, workflow
from incidents.admin.pages import intermediate_page
from incidents.admin.transitions import STEPS
from incidents.choices import Channel
from incidents.downloads import AttachmentMissing, attachment_response
from incidents.exceptions import DomainError
from incidents.models import Attachment
from itsm.buttons import button_only_page


class IncidentViewsMixin:
    def get_urls(self):
        wrap, name = self.admin_site.admin_view, "incidents_incident_{}"
        return [
            path(
                "<path:object_id>/step/<slug:verb>/", wrap(self.step_view), name=name.format("step")
            ),
            path("<path:object_id>/watch/", wrap(self.watch_view), name=name.format("watch")),
            path("<path:object_id>/major/", wrap(self.major_view), name=name.format("major")),
            path(
                "<path:object_id>/confidential/",
                wrap(self.confidential_view),
                name=name.format("confidential"),
            ),
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                wrap(self.attachment_view),
                name=name.format("attachment"),
            ),
            *super().get_urls(),
        ]

    def _incident(self, request, object_id):
        incident = self.get_object(request, unquote(object_id))
        if incident is None or not self.has_view_permission(request, incident):
            raise Http404("No such incident.")
        return incident

    def _button_only(self, request, object_id):
        url = reverse("admin:incidents_incident_change", args=[object_id])
        return button_only_page(request, back_url=url, back_label=_("Go back to the incident"))

    def step_view(self, request, object_id, verb):
        """One workflow step from the change page; asks for input first when it needs some."""
        if request.method != "POST":
            return self._button_only(request, object_id)
        incident, step = self._incident(request, object_id), STEPS.get(verb)
        if step is None:
            raise Http404("No such step.")
        if not self.has_transition_permission(request, incident):
            raise PermissionDenied
        try:
            workflow.check(incident, verb)  # before asking for input it could not use
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(incident.get_admin_url())
        confirmed = "_confirm" in request.POST or not step.needs_input
        form = step.form(request.POST if confirmed else None, initial=request.POST)
        if confirmed and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                step.service(
                    incident=incident,
                    actor=request.user,
                    via=Channel.ADMIN,
                    expected_version=form.cleaned_data.get("version"),
                    **data,
                )
            except DomainError as error:
                if not (step.needs_input and error.field in form.fields):
                    self.message_user(request, error.message, messages.ERROR)
                    return HttpResponseRedirect(incident.get_admin_url())
                form.add_error(error.field, error.message)
            else:
                done = _("%(number)s %(done)s.") % {"number": incident.number, "done": step.done}
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(incident.get_admin_url())
        if not step.needs_input:  # a version that is not a number: a tampered form
            self.message_user(request, _("Reload the incident and try again."), messages.ERROR)
            return HttpResponseRedirect(incident.get_admin_url())
        return intermediate_page(
            self,
            request,
            title=f"{step.label}: {incident.number}",
            incidents=[incident],
            form=form,
            submit=step.label,
            form_url=request.path,
            cancel_url=incident.get_admin_url(),
        )

    def watch_view(self, request, object_id):
        """Start or stop watching (hearing the public updates of) this incident."""
        if request.method != "POST":
            return self._button_only(request, object_id)
        incident = self._incident(request, object_id)
        if incident.watchers.filter(pk=request.user.pk).exists():
            services.incident_unwatch(incident=incident, user=request.user)
            self.message_user(
                request, _("You no longer watch %(number)s.") % {"number": incident.number}
            )
        else:
            services.incident_watch(
                incident=incident, user=request.user, actor=request.user, via=Channel.ADMIN
            )
            self.message_user(request, _("You now watch %(number)s.") % {"number": incident.number})
        return HttpResponseRedirect(incident.get_admin_url())

    def major_view(self, request, object_id):
        if request.method != "POST":
            return self._button_only(request, object_id)
        incident = self._incident(request, object_id)
        if not self.has_transition_permission(request, incident):
            raise PermissionDenied
        try:
            services.incident_declare_major(
                incident=incident, actor=request.user, via=Channel.ADMIN
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            message = _("%(number)s is now a major incident.") % {"number": incident.number}
            self.message_user(request, message)
        return HttpResponseRedirect(incident.get_admin_url())

    def confidential_view(self, request, object_id):
        """Mark the incident confidential, or visible to every responder again."""
        if request.method != "POST":
            return self._button_only(request, object_id)
        incident = self._incident(request, object_id)
        if not self.has_change_permission(request, incident):
            raise PermissionDenied
        confidential = request.POST.get("confidential") == "1"
        try:
            services.incident_set_confidential(
                incident=incident,
                actor=request.user,
                confidential=confidential,
                via=Channel.ADMIN,
                expected_version=_version(request),
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            if confidential:
                done = _("%(number)s is confidential.")
            else:
                done = _("%(number)s is visible to every responder again.")
            self.message_user(request, done % {"number": incident.number}, messages.SUCCESS)
        return HttpResponseRedirect(incident.get_admin_url())

    def attachment_view(self, request, object_id, attachment_id):
        """Stream a file as a download, never rendered inline by the browser."""
        incident = self._incident(request, object_id)
        if not request.user.has_perm("incidents.view_attachment"):
            raise PermissionDenied
        files = Attachment.objects.visible_to(request.user).filter(incident=incident)
        attachment = files.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404("No such attachment.")
        try:
            return attachment_response(attachment)
        except AttachmentMissing as missing:
            raise Http404("The file is missing from storage.") from missing


def _version(request) -> int | None:
    """The version the page showed; a missing or tampered one checks nothing (the service
    still refuses an unauthorised change)."""
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None
