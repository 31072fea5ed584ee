"""A team with a two-step escalation policy: step 1 pages the responder, step 2 (after five
minutes) the manager."""

import pytest

from incidents.choices import Level


@pytest.fixture
def policy(db, team, responder, manager):
    from paging.models import EscalationPolicy, EscalationStep

    policy = EscalationPolicy.objects.create(team=team, name="Network paging")
    first = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
    first.users.add(responder)
    second = EscalationStep.objects.create(policy=policy, position=1, delay_minutes=10)
    second.users.add(manager)
    return policy


@pytest.fixture
def raise_p1(make_incident, service, django_capture_on_commit_callbacks):
    """Report a P1 on the team's service and let the outbox run (inline)."""

    def raise_it(**overrides):
        fields = {"impact": Level.HIGH, "urgency": Level.HIGH, "service": service, **overrides}
        with django_capture_on_commit_callbacks(execute=True):
            return make_incident(**fields)

    return raise_it


@pytest.fixture
def advance(django_capture_on_commit_callbacks):
    """What beat does every 15 s: fire due steps, send due pages (with their callbacks)."""
    from paging.tasks import advance_escalations

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return advance_escalations()

    return run
