"""Template pieces other pages include: an incident's checklist and the message templates
(incident change page), the template picker (incident add page), and the public templates
offered on the portal's report page."""

from django import template

from preparedness import selectors, services

register = template.Library()


@register.inclusion_tag("preparedness/_incident_checklist.html", takes_context=True)
def incident_checklist(context, incident):
    """The checklist with a tick button per task for those allowed to tick, and the
    communication plan of the response plan that put it there."""
    request = context["request"]
    known_empty = getattr(incident, "has_tasks", None) is False  # read by the change page
    tasks = [] if known_empty else list(selectors.tasks_for_incident(incident))
    return {
        "incident": incident,
        "tasks": tasks,
        "communications": selectors.communications_for_tasks(tasks),
        "can_tick": request.user.has_perm("preparedness.change_incidenttask"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("preparedness/_message_templates.html", takes_context=True)
def message_templates(context, incident):
    """The message templates offered for a public update, each rendered for this incident
    (so the script fills the text without asking the server); `?message_template=<slug>`
    shows one rendered in an editable box, which is how it works without JavaScript."""
    request = context["request"]
    can_publish = request.user.has_perm("incidents.add_comment") and incident.is_open
    offered = []
    # Shown only to those who may publish: for the others nothing is read or rendered.
    for item in selectors.active_message_templates() if can_publish else ():
        subject, body = services.message_render(template=item, incident=incident)
        offered.append({"template": item, "subject": subject, "body": body})
    chosen = next(
        (o for o in offered if o["template"].slug == request.GET.get("message_template")), None
    )
    return {
        "incident": incident,
        "offered": offered,
        "chosen": chosen,
        "can_publish": can_publish,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("preparedness/_template_picker.html", takes_context=True)
def incident_template_picker(context):
    """A select of the active incident templates on the admin's add page (a GET form: it
    reloads the page prefilled, with or without JavaScript)."""
    request = context["request"]
    return {
        "templates": list(selectors.active_templates()),
        "chosen": request.GET.get("template", ""),
    }


@register.inclusion_tag("preparedness/_report_templates.html", takes_context=True)
def report_templates(context):
    """The public templates offered on the portal's report page, as links prefilling it."""
    request = context["request"]
    return {
        "templates": list(selectors.active_templates(public_only=True).only("name", "slug")),
        "chosen": request.GET.get("template", ""),
    }
