"""Bulk actions of the incident list. Each incident goes through its service on its own;
the responder is told which succeeded and, for each refusal, the reason in plain words."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from incidents import services
from incidents.admin.forms import AssignForm, HoldForm, MergeForm, ParentForm, ResolveForm
from incidents.admin.pages import intermediate_page
from incidents.choices import Channel
from incidents.exceptions import DomainError

ADMIN = Channel.ADMIN


def _about(incident, message: str) -> str:
    if incident.number in str(message):
        return message
    return _("%(number)s: %(message)s") % {"number": incident.number, "message": message}


class IncidentActionsMixin:
    actions = [
        "acknowledge",
        "assign_to_me",
        "assign",
        "hold",
        "resolve",
        "close",
        "merge",
        "declare_major",
        "link_to_parent",
    ]

    def each_incident(self, request, queryset, done: str, call) -> None:
        """Run `call(incident)` per incident; one success message, one error per refusal."""
        succeeded = []
        for incident in queryset.order_by("pk"):
            try:
                call(incident)
            except DomainError as error:
                self.message_user(request, _about(incident, error.message), messages.ERROR)
            else:
                succeeded.append(incident.number)
        if succeeded:
            numbers = ", ".join(succeeded)
            message = _("%(done)s: %(numbers)s.") % {"done": done, "numbers": numbers}
            self.message_user(request, message, messages.SUCCESS)

    def with_input(self, request, queryset, form, *, action, title, submit, done, call):
        """Intermediate page first; once confirmed with valid input, run `call` per incident."""
        if "_confirm" in request.POST and form.is_valid():
            data = form.cleaned_data
            self.each_incident(request, queryset, done, lambda incident: call(incident, data))
            return None
        return intermediate_page(
            self,
            request,
            title=title,
            incidents=list(queryset.order_by("pk")),
            form=form,
            submit=submit,
            action=action,
            cancel_url=request.get_full_path(),
        )

    def _form(self, request, form_class, **kwargs):
        return form_class(request.POST if "_confirm" in request.POST else None, **kwargs)

    @admin.action(description=_("Acknowledge"), permissions=["transition"])
    def acknowledge(self, request, queryset):
        self.each_incident(
            request,
            queryset,
            "Acknowledged",
            lambda i: services.incident_acknowledge(incident=i, actor=request.user, via=ADMIN),
        )

    @admin.action(description=_("Assign to me"), permissions=["transition"])
    def assign_to_me(self, request, queryset):
        self.each_incident(
            request,
            queryset,
            "Assigned to you",
            lambda i: services.incident_assign(
                incident=i, actor=request.user, via=ADMIN, assignee=request.user
            ),
        )

    @admin.action(description=_("Assign to a team or person…"), permissions=["transition"])
    def assign(self, request, queryset):
        return self.with_input(
            request,
            queryset,
            self._form(request, AssignForm),
            action="assign",
            title=_("Assign incidents"),
            submit=_("Assign"),
            done=_("Assigned"),
            call=lambda i, data: services.incident_assign(
                incident=i,
                actor=request.user,
                via=ADMIN,
                team=data["team"],
                assignee=data["assignee"],
            ),
        )

    @admin.action(description=_("Put on hold…"), permissions=["transition"])
    def hold(self, request, queryset):
        return self.with_input(
            request,
            queryset,
            self._form(request, HoldForm),
            action="hold",
            title=_("Put incidents on hold"),
            submit=_("Put on hold"),
            done=_("Put on hold"),
            call=lambda i, data: services.incident_hold(
                incident=i, actor=request.user, via=ADMIN, reason=data["reason"]
            ),
        )

    @admin.action(description=_("Resolve…"), permissions=["transition"])
    def resolve(self, request, queryset):
        return self.with_input(
            request,
            queryset,
            self._form(request, ResolveForm),
            action="resolve",
            title=_("Resolve incidents"),
            submit=_("Resolve"),
            done=_("Resolved"),
            call=lambda i, data: services.incident_resolve(
                incident=i,
                actor=request.user,
                via=ADMIN,
                resolution_code=data["resolution_code"],
                resolution_notes=data["resolution_notes"],
            ),
        )

    @admin.action(description=_("Close"), permissions=["transition"])
    def close(self, request, queryset):
        self.each_incident(
            request,
            queryset,
            "Closed",
            lambda i: services.incident_close(incident=i, actor=request.user, via=ADMIN),
        )

    @admin.action(description=_("Mark as major incident"), permissions=["transition"])
    def declare_major(self, request, queryset):
        self.each_incident(
            request,
            queryset,
            "Declared major",
            lambda i: services.incident_declare_major(incident=i, actor=request.user, via=ADMIN),
        )

    @admin.action(description=_("Link to a parent incident…"), permissions=["transition"])
    def link_to_parent(self, request, queryset):
        return self.with_input(
            request,
            queryset,
            self._form(request, ParentForm),
            action="link_to_parent",
            title=_("Make incidents part of another"),
            submit=_("Link"),
            done=_("Linked"),
            call=lambda i, data: services.incident_link_child(
                parent=data["parent"], child=i, actor=request.user, via=ADMIN
            ),
        )

    @admin.action(description=_("Merge into one primary…"), permissions=["merge"])
    def merge(self, request, queryset):
        incidents = list(queryset.order_by("pk"))
        if len(incidents) < 2:
            self.message_user(request, _("Select at least two incidents to merge."), messages.ERROR)
            return None
        form = self._form(
            request,
            MergeForm,
            incidents=queryset.model.objects.filter(
                pk__in=[incident.pk for incident in incidents]
            ).order_by("pk"),
        )
        if "_confirm" not in request.POST or not form.is_valid():
            return intermediate_page(
                self,
                request,
                title=_("Merge incidents"),
                intro=_("Choose the incident to keep. The others are closed as its duplicates."),
                incidents=incidents,
                form=form,
                submit=_("Merge"),
                action="merge",
                cancel_url=request.get_full_path(),
            )
        primary = form.cleaned_data["primary"]
        duplicates = [incident for incident in incidents if incident.pk != primary.pk]
        try:
            services.incident_merge(
                primary=primary, duplicates=duplicates, actor=request.user, via=ADMIN
            )
        except DomainError as error:
            message = _("Nothing was merged: %(error)s") % {"error": error.message}
            self.message_user(request, message, messages.ERROR)
            return None
        numbers = ", ".join(incident.number for incident in duplicates)
        message = _("Merged %(numbers)s into %(primary)s.")
        self.message_user(
            request, message % {"numbers": numbers, "primary": primary.number}, messages.SUCCESS
        )
        return None
