"""What preparedness adds to the incident admin, installed on whichever incident admin is
registered (see PreparednessConfig.ready), the way problems adds its action:

- the add page takes `?template=<slug>`: the form is prefilled from the template, and the
  incident saved from that page is made by `incident_create_from_template` (so it gets the
  template's checklist);
- two POST-only views of the change page: tick or untick a checklist task
  (`task_set_done`), and publish a public update written from a message template
  (`incident_comment`).

The sections themselves are template tags (`preparedness_tags`) the incident templates
include.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from incidents import services as incident_services
from incidents.choices import Channel
from incidents.exceptions import DomainError
from itsm.buttons import button_only_page
from preparedness import selectors, services
from preparedness.models import IncidentTask

TICK_PERMISSION = "preparedness.change_incidenttask"


def template_initial(template) -> dict:
    """The add form's initial values from a template (ids for the relation fields)."""
    initial = {name: getattr(template, name) for name in ("title", "description")}
    initial.update(impact=template.impact, urgency=template.urgency)
    if template.service_id:
        initial["service"] = template.service_id
    if template.category_id:
        initial["category"] = template.category_id
    return initial


def chosen_template(request):
    """The active template the add page's `?template=` names (None without one); an unknown
    slug is told once as an admin message."""
    slug = request.GET.get("template", "")
    if not slug:
        return None
    template = selectors.template_by_slug(slug)
    if template is None and request.method == "GET":
        messages.error(request, _("There is no active incident template with that name."))
    return template


def _initial_data(original):
    @wraps(original)
    def get_changeform_initial_data(request):
        initial = original(request)
        template = chosen_template(request)
        if template is not None:
            initial.update(template_initial(template))
        return initial

    return get_changeform_initial_data


def _create(original):
    @wraps(original)
    def create(request, form):
        template = chosen_template(request)
        if template is None:
            return original(request, form)
        data = form.cleaned_data
        skip = {"reporter", "channel"}  # given to the service by name
        overrides = {name: data.get(name) for name in form.Meta.fields if name not in skip}
        return services.incident_create_from_template(
            template=template,
            actor=request.user,
            channel=data["channel"],
            reporter=data["reporter"],
            overrides=overrides,
        )

    return create


class IncidentAdminViews:
    """The two POST views, bound to the registered incident admin."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def urls(self, wrap) -> list:
        name = "incidents_incident_{}"
        return [
            path(
                "<path:object_id>/tasks/<int:task_id>/",
                wrap(self.tick_view),
                name=name.format("task"),
            ),
            path(
                "<path:object_id>/message-template/",
                wrap(self.message_view),
                name=name.format("message_template"),
            ),
        ]

    def _incident(self, request, object_id):
        incident = self.model_admin.get_object(request, unquote(object_id))
        if incident is None or not self.model_admin.has_view_permission(request, incident):
            raise Http404(_("No such incident."))
        return incident

    def _back(self, request, object_id):
        url = reverse("admin:incidents_incident_change", args=[object_id])
        return button_only_page(request, back_url=url, back_label=_("Go back to the incident"))

    def tick_view(self, request, object_id, task_id):
        """Tick (`done=1`) or untick (`done=0`) one task of the incident's checklist."""
        incident = self._incident(request, object_id)  # 404 first: nothing to tell outsiders
        if request.method != "POST":
            return self._back(request, object_id)
        if not request.user.has_perm(TICK_PERMISSION):
            raise PermissionDenied
        task = IncidentTask.objects.filter(pk=task_id, incident=incident).first()
        if task is None:
            raise Http404(_("No such task on this incident."))
        done = request.POST.get("done") == "1"
        services.task_set_done(task=task, actor=request.user, done=done)
        message = _("Done: %(task)s") if done else _("Reopened: %(task)s")
        self.model_admin.message_user(request, message % {"task": task.text}, messages.SUCCESS)
        return HttpResponseRedirect(incident.get_admin_url() + "#checklist")

    def message_view(self, request, object_id):
        """Publish the public update written from a message template (the text as the
        responder reviewed and edited it)."""
        incident = self._incident(request, object_id)
        if request.method != "POST":
            return self._back(request, object_id)
        if not (
            self.model_admin.has_change_permission(request, incident)
            and request.user.has_perm("incidents.add_comment")
        ):
            raise PermissionDenied
        body = (request.POST.get("body") or "").strip()
        level, text = messages.SUCCESS, _("The public update was published.")
        try:
            if not body:
                raise DomainError(_("The update is empty: write or choose its text."))
            incident_services.incident_comment(
                incident=incident, author=request.user, body=body, via=Channel.ADMIN, public=True
            )
        except DomainError as error:
            level, text = messages.ERROR, error.message
        self.model_admin.message_user(request, text, level)
        return HttpResponseRedirect(incident.get_admin_url())


def _urls(original, views: IncidentAdminViews, site):
    @wraps(original)
    def get_urls():
        return [*views.urls(site.admin_view), *original()]

    return get_urls


def install_on_incident_admin(site) -> bool:
    """Wrap the registered incident admin's add page and add the checklist and message
    views; False when no incident admin is registered. Installing twice is harmless."""
    from incidents.models import Incident

    model_admin = site._registry.get(Incident)
    if model_admin is None or getattr(model_admin, "_preparedness_installed", False):
        return model_admin is not None
    views = IncidentAdminViews(model_admin)
    model_admin.get_changeform_initial_data = _initial_data(model_admin.get_changeform_initial_data)
    model_admin._create = _create(model_admin._create)
    model_admin.get_urls = _urls(model_admin.get_urls, views, site)
    model_admin._preparedness_installed = True
    return True
