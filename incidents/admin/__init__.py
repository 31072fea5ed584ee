"""The responder workspace: incident admin plus the configuration managers keep.

`incident` assembles the incident ModelAdmin from small parts: `incident_list` (columns,
filters, one query per page), `actions` (bulk actions and their intermediate pages),
`change` (change page: form saved through the services, transition buttons, timeline),
`inlines` (comments and attachments), `history` (field diffs; revert for managers only).
`config` registers the catalogue and rules, `routing` the routing rules, `users` the
people search, and `dashboard` computes the admin index figures. Every write goes through
`incidents.services`.
"""

from incidents.admin import config, incident, routing, users  # noqa: F401  (registers the admins)
