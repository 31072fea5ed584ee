"""The incident change and add pages: the form is saved through the services.

A service refusal (a rule, or another responder saving first) rolls the whole save back,
including new comments and files, and the page is shown again with the message on the
field it concerns and everything the user typed still filled in.
"""

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models

from incidents import services
from incidents.admin.forms import IncidentAddForm, IncidentChangeForm
from incidents.admin.inlines import AttachmentInline, CommentInline
from incidents.admin.timeline import readable_timeline
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Attachment, Comment, Incident

ADD_FIELDSETS = [
    ("Report", {"fields": ["title", "description", ("reporter", "channel")]}),
    ("Classification", {"fields": [("impact", "urgency"), ("service", "category")]}),
    ("Assignment", {"fields": [("team", "assignee")]}),
]
CHANGE_FIELDSETS = [
    (
        "Summary",
        {
            "fields": [
                ("number", "status_display", "channel"),
                "title",
                "description",
                ("reporter_display", "opened_at"),
                "expected_version",
            ]
        },
    ),
    (
        "Classification",
        {
            "fields": [
                ("impact", "urgency", "priority"),
                ("service", "category"),
                ("major", "confidential"),
            ]
        },
    ),
    ("Assignment", {"fields": [("team", "assignee"), "watchers_display"]}),
    (
        "SLA",
        {
            "fields": [
                "sla_state",
                ("response_due", "acknowledged_at"),
                ("resolution_due", "sla_paused_display"),
                "next_update_due",
                "sla_ledger_display",
            ]
        },
    ),
    (
        "Resolution",
        {
            "fields": [
                "hold_reason",
                ("resolution_code", "resolved_at", "closed_at"),
                "resolution_notes",
            ]
        },
    ),
    (
        "Links",
        {
            "fields": [
                ("parent", "children_display"),
                ("duplicate_of", "duplicates_display"),
                "recurrence_of",
            ]
        },
    ),
]
CHANGE_RELATED = [
    "reporter",
    "hold_reason",
    "resolution_code",
    "parent",
    "duplicate_of",
    "recurrence_of",
]


class Refused(Exception):
    """A service refused during save; carries its DomainError out of the transaction."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        self.error = error


def _adopt(target: Incident, saved: Incident) -> None:
    """Make the admin's object the saved incident (the admin goes on using it)."""
    for field in Incident._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False


class IncidentChangeMixin:
    inlines = [CommentInline, AttachmentInline]
    autocomplete_fields = ["service", "category", "team", "assignee", "reporter"]
    change_form_template = "admin/incidents/incident/change_form.html"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ADD_FIELDSETS
        folded = set()
        if obj.is_open and not obj.hold_reason_id:
            folded.add("Resolution")
        if not (obj.parent_id or obj.duplicate_of_id or obj.recurrence_of_id):
            folded.add("Links")
        return [
            (name, {**options, "classes": ["collapse"]} if name in folded else options)
            for name, options in CHANGE_FIELDSETS
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {*IncidentChangeForm.Meta.fields, "expected_version"}
        if not obj.is_open:
            editable -= {"team", "assignee"}
        names = []
        for _, options in CHANGE_FIELDSETS:
            for line in options["fields"]:
                names += [line] if isinstance(line, str) else list(line)
        return [name for name in names if name not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = IncidentChangeForm if obj else IncidentAddForm
        form = super().get_form(request, obj, change, **kwargs)
        for field in form.base_fields.values():
            if isinstance(field.widget, RelatedFieldWidgetWrapper):
                # Services and teams are set up in their own pages, not from an incident.
                widget = field.widget
                widget.can_add_related = widget.can_change_related = False
                widget.can_delete_related = False
        refusal = getattr(request, "_incident_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def get_object(self, request, object_id, from_field=None):
        """ModelAdmin.get_object, joining what the change page shows."""
        queryset = self.get_queryset(request).select_related(*CHANGE_RELATED)
        field = Incident._meta.pk if from_field is None else Incident._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Incident.DoesNotExist, ValidationError, ValueError):
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # The save was rolled back; show the form again with the reason and the input.
            request._incident_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            saved = self._save_change(request, form) if change else self._create(request, form)
        except DomainError as error:
            raise Refused(error) from error
        _adopt(obj, saved)

    def _save_change(self, request, form) -> Incident:
        incident, data = form.instance, form.cleaned_data
        version = data["expected_version"]
        edits = {name: data[name] for name in form.edited_fields}
        if edits:
            incident = services.incident_update(
                incident=incident,
                actor=request.user,
                via=Channel.ADMIN,
                expected_version=version,
                **edits,
            )
            version = incident.version
        if form.assignment_changed:
            incident = services.incident_assign(
                incident=incident,
                actor=request.user,
                via=Channel.ADMIN,
                team=data.get("team"),
                assignee=data.get("assignee"),
                expected_version=version,
            )
        return incident

    def _create(self, request, form) -> Incident:
        data = form.cleaned_data
        return services.incident_create(
            actor=request.user,
            via=data["channel"],
            **{name: data.get(name) for name in IncidentAddForm.Meta.fields},
        )

    def save_related(self, request, form, formsets, change):
        # The form has no many-to-many fields; watchers change through their buttons.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        new_forms = [item for item in formset.extra_forms if item.has_changed()]
        try:
            for item in new_forms:
                formset.new_objects += self._save_inline(request, form.instance, item)
        except DomainError as error:
            raise Refused(error) from error

    def _save_inline(self, request, incident, item) -> list[models.Model]:
        data = item.cleaned_data
        if item._meta.model is Comment:
            comment = services.incident_comment(
                incident=incident,
                author=request.user,
                body=data["body"],
                via=Channel.ADMIN,
                public=data["kind"] == "public",
            )
            return [comment]
        if item._meta.model is Attachment:
            return services.incident_attach(
                incident=incident,
                actor=request.user,
                files=[data["upload"]],
                via=Channel.ADMIN,
                public=data["public"],
            )
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_save_and_add_another"] = False
        if obj is not None and obj.pk:
            context.update(self.workspace_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workspace_context(self, request, incident: Incident) -> dict:
        from incidents.admin.transitions import steps_for

        incident.watcher_list = list(incident.watchers.order_by("first_name", "username"))
        can_move = self.has_transition_permission(request, incident)
        return {
            "steps": steps_for(incident.status) if can_move else [],
            "can_transition": can_move,
            "is_watching": any(user.pk == request.user.pk for user in incident.watcher_list),
            "timeline": readable_timeline(incident),
            "current_version": incident.version,
        }
