from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_postrun, task_prerun
        from django.core.signals import request_finished, request_started

        from incidents import cached, catalog_cache, routing, rulebook
        from incidents.defaults import ensure_defaults
        from incidents.models import (
            HoldReason,
            PriorityRule,
            ResolutionCode,
            RoutingRule,
            Service,
            SLAPolicy,
            Team,
        )
        from incidents.roles import sync_role_permissions

        # Default rules come back after a flush; roles get permissions of every app (which
        # exist only once that app's post_migrate ran), so this runs for each sender.
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="incidents-defaults")
        post_migrate.connect(sync_role_permissions, dispatch_uid="incidents-role-permissions")
        # Not business side effects: the cached rules forget rows that changed, whichever
        # door (admin, shell, cascade) changed them (see incidents.cached).
        forgetting = [
            (routing.forget, (RoutingRule, Team)),
            (rulebook.forget_rulebook, (PriorityRule, SLAPolicy)),
            (catalog_cache.forget_services, (Service, Team)),
            (catalog_cache.forget_codes, (HoldReason, ResolutionCode)),
        ]
        for receiver, models in forgetting:
            cached.forget_when_changed(receiver, *models)
        # A request or a task reads each cached rule once (see incidents.cached).
        for signal, receiver, uid in [
            (request_started, cached.begin_unit, "cached-request-started"),
            (request_finished, cached.end_unit, "cached-request-finished"),
            (task_prerun, cached.begin_unit, "cached-task-prerun"),
            (task_postrun, cached.end_unit, "cached-task-postrun"),
        ]:
            signal.connect(receiver, dispatch_uid=uid)
