"""Every write to an incident goes through these functions, whichever channel asks.

All take keyword arguments only, run in one transaction, record history (user and reason)
and an `IncidentEvent`, and schedule notifications only after commit. Rules that refuse a
change raise `incidents.exceptions.DomainError` with a message for the person who asked.
`via` names the channel (`incidents.choices.Channel`) and appears in the history reason.
"""

from incidents.services.clocks import auto_close_resolved, check_sla_clocks, check_update_cadence
from incidents.services.collaboration import (
    incident_attach,
    incident_comment,
    incident_unwatch,
    incident_watch,
)
from incidents.services.confidentiality import incident_set_confidential
from incidents.services.editing import incident_update
from incidents.services.lifecycle import (
    incident_acknowledge,
    incident_assign,
    incident_cancel,
    incident_close,
    incident_create,
    incident_hold,
    incident_reopen,
    incident_resolve,
    incident_resume,
    incident_start,
)
from incidents.services.links import incident_declare_major, incident_link_child, incident_merge

__all__ = [
    "auto_close_resolved",
    "check_sla_clocks",
    "check_update_cadence",
    "incident_acknowledge",
    "incident_assign",
    "incident_attach",
    "incident_cancel",
    "incident_close",
    "incident_comment",
    "incident_create",
    "incident_declare_major",
    "incident_hold",
    "incident_link_child",
    "incident_merge",
    "incident_reopen",
    "incident_resolve",
    "incident_resume",
    "incident_set_confidential",
    "incident_start",
    "incident_unwatch",
    "incident_update",
    "incident_watch",
]
