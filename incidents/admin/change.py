"""The incident change and add pages: the form is saved through the services.

A POST is handled here rather than by Django's generic change view, so that a refusal is
one explicit branch: a service refusing (a rule, or another responder saving first) rolls
the whole save back, including new comments and files, and the page is shown again with
the message on the field it concerns, everything the user typed still filled in, and the
heading, status and buttons of the incident as it is saved.
"""

from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.forms.formsets import all_valid
from django.utils.translation import gettext, gettext_lazy

from incidents import services
from incidents.admin.forms import IncidentAddForm, IncidentChangeForm
from incidents.admin.inlines import AttachmentInline, CommentInline
from incidents.admin.presence import read_presence
from incidents.admin.timeline import readable_timeline
from incidents.catalog_cache import hold_codes_from_cache
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Attachment, Comment, Incident, IncidentEvent
from itsm.media_once import media_once

ADD_FIELDSETS = [
    (gettext_lazy("Report"), {"fields": ["title", "description", ("reporter", "channel")]}),
    (gettext_lazy("Classification"), {"fields": [("impact", "urgency"), ("service", "category")]}),
    (gettext_lazy("Assignment"), {"fields": [("team", "assignee")]}),
]
CHANGE_FIELDSETS = [
    (
        gettext_lazy("Summary"),
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
        gettext_lazy("Classification"),
        {
            "fields": [
                ("impact", "urgency", "priority"),
                ("service", "category"),
                ("major", "confidential"),
            ]
        },
    ),
    (gettext_lazy("Assignment"), {"fields": [("team", "assignee"), "watchers_display"]}),
    (
        gettext_lazy("SLA"),
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
        gettext_lazy("Resolution"),
        {
            "fields": [
                "hold_reason",
                ("resolution_code", "resolved_at", "closed_at"),
                "resolution_notes",
            ]
        },
    ),
    (
        gettext_lazy("Links"),
        {
            "fields": [
                ("parent", "children_display"),
                ("duplicate_of", "duplicates_display"),
                "recurrence_of",
            ]
        },
    ),
]


def show_refusal(form, error: DomainError) -> None:
    """The refusal as an error on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


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
        return form

    def get_object(self, request, object_id, from_field=None):
        """ModelAdmin.get_object, with what the change page shows. The reporter, service,
        category (with its parent), team and assignee are usually set and shown (the
        widgets, the runbooks): joined. The hold reason and resolution code come from the
        cache. The links are usually empty: read by id when shown, each only when set
        (joining them too made the plan cost more than the reads; prefetching cost ORM
        work even when empty). Whether there are children, merged duplicates, files, a
        checklist or a rating is read by the change page itself (`_parts_read`), so it
        skips their empty lists."""
        queryset = self.get_queryset(request).select_related(
            "reporter", "service", "category__parent", "team", "assignee"
        )
        field = Incident._meta.pk if from_field is None else Incident._meta.get_field(from_field)
        try:
            incident = queryset.get(**{field.name: field.to_python(object_id)})
        except (Incident.DoesNotExist, ValidationError, ValueError):
            return None
        hold_codes_from_cache(incident)
        return incident

    def get_formset_kwargs(self, request, obj, inline, prefix):
        if request.method == "GET":  # a save reads the files it may show again itself
            _parts_read(obj)
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AttachmentInline) and getattr(obj, "has_attachments", None) is False:
            kwargs["queryset"] = kwargs["queryset"].none()  # no files: nothing to read
        return kwargs

    def _changeform_view(self, request, object_id, form_url, extra_context):
        """Django's view shows the page; a POST is saved through the services here."""
        if request.method != "POST":
            return super()._changeform_view(request, object_id, form_url, extra_context)
        add = object_id is None
        obj = None if add else self.get_object(request, unquote(object_id))
        if not (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        ):
            raise PermissionDenied
        if not add and obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        form_class = self.get_form(request, obj, change=not add, fields=fields)
        form = form_class(request.POST, request.FILES, instance=obj)
        formsets, inline_instances = self._create_formsets(request, form.instance, change=not add)
        if form.is_valid() & all_valid(formsets):  # both, so every error shows at once
            try:
                with transaction.atomic():  # a refusal takes new comments and files back too
                    saved = self._save(request, form, formsets, add)
            except DomainError as error:
                show_refusal(form, error)
            else:
                return self._saved_response(request, saved, form, formsets, add)
        # Validation put the unsaved input on `obj`: the page shows the incident as saved.
        shown = None if add else self.get_object(request, unquote(object_id))
        context = self._form_context(request, shown, form, formsets, inline_instances, object_id)
        context.update(extra_context or {})
        return self.render_change_form(
            request, context, add=add, change=not add, obj=shown, form_url=form_url
        )

    def _form_context(self, request, obj, form, formsets, inline_instances, object_id) -> dict:
        """What Django's change view gives its template, for a form shown again."""
        admin_form = helpers.AdminForm(
            form,
            list(self.get_fieldsets(request, obj)),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        inline_formsets = self.get_inline_formsets(request, formsets, inline_instances, obj)
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        title = gettext("Add %s") if obj is None else gettext("Change %s")
        return {
            **self.admin_site.each_context(request),
            "title": title % self.opts.verbose_name,
            "subtitle": str(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": None,
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
        }

    def _save(self, request, form, formsets, add: bool) -> Incident:
        """The incident and its new comments and files, each through its service; a
        refusal raises DomainError (the caller's transaction rolls everything back)."""
        incident = self._create(request, form) if add else self._save_change(request, form)
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for item in formset.extra_forms:
                if item.has_changed():
                    formset.new_objects += self._save_inline(request, incident, item)
        return incident

    def _saved_response(self, request, saved: Incident, form, formsets, add: bool):
        message = self.construct_change_message(request, form, formsets, add)
        if add:
            self.log_addition(request, saved, message)
            return self.response_add(request, saved)
        self.log_change(request, saved, message)
        return self.response_change(request, saved)

    def save_model(self, request, obj, form, change):
        # Never reached: the view above saves through the services. A Django path that
        # would call this would write the row directly, skipping workflow and history.
        raise ImproperlyConfigured("Incidents are saved by IncidentChangeMixin._save.")

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
        if "media" in context:
            context["media"] = media_once(context["media"])
        if obj is not None and obj.pk:
            _parts_read(obj)
            _read_once(obj, context.get("inline_admin_formsets", []))
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


def _parts_read(incident: Incident) -> None:
    """Which optional parts the incident has, read once per page (other admin views that
    load the incident, history and workflow steps, do not need them)."""
    if incident.pk and not hasattr(incident, "has_children"):
        read_presence(incident)


def _read_once(incident: Incident, inline_formsets) -> None:
    """Rows several parts of the page show, read once and kept as if prefetched: the
    events (timeline, SLA ledger, paging's escalation steps) and the comments the inline
    already read with their authors (timeline), when it read them all: for someone who
    may add comments but not see them it reads none, and the timeline reads its own."""
    prefetch_related_objects([incident], Prefetch("events", IncidentEvent.objects.all()))
    for inline_formset in inline_formsets:
        formset = inline_formset.formset
        if formset.model is Comment and inline_formset.has_view_permission:
            incident._prefetched_objects_cache["comments"] = formset.get_queryset()
