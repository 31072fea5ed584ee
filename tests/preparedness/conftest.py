"""Preparedness fixtures: a default response plan with a checklist, an incident template,
the four message templates, and running what a transaction publishes on commit inline."""

import pytest

from incidents.choices import Level, Priority
from preparedness.models import (
    IncidentTemplate,
    MessageTemplate,
    OwnerRole,
    PlanStep,
    ResponsePlan,
    Stage,
    TemplateStep,
)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """`with deliver(): ...` runs the on-commit work inline (event handlers included)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def default_plan(db, team):
    plan = ResponsePlan.objects.create(
        name="Default plan", lead_team=team, trigger_priorities=[Priority.P1]
    )
    for position, (text, role) in enumerate(
        [
            ("Confirm the impact", OwnerRole.LEAD),
            ("Take ownership", OwnerRole.ASSIGNEE),
            ("Open a bridge", OwnerRole.TEAM),
            ("Post the first public update", OwnerRole.MANAGER),
        ]
    ):
        PlanStep.objects.create(plan=plan, position=position, text=text, owner_role=role)
    return plan


@pytest.fixture
def login_template(db, service):
    template = IncidentTemplate.objects.create(
        name="Cannot log in",
        slug="cannot-log-in",
        title="Cannot log in",
        description="I cannot sign in.",
        service=service,
        impact=Level.LOW,
        urgency=Level.HIGH,
        public=True,
    )
    TemplateStep.objects.create(
        template=template, position=0, text="Check the account lock", owner_role=OwnerRole.TEAM
    )
    return template


@pytest.fixture
def internal_template(db, service):
    return IncidentTemplate.objects.create(
        name="VPN outage",
        slug="vpn-outage",
        title="VPN outage",
        service=service,
        impact=Level.HIGH,
        urgency=Level.HIGH,
        public=False,
    )


@pytest.fixture
def message_templates(db):
    rows = [
        ("investigating", Stage.INVESTIGATING, "Investigating {service}. Next {next_update}."),
        ("identified", Stage.IDENTIFIED, "Cause of the {service} problem found."),
        ("monitoring", Stage.MONITORING, "Fix for {service} in place; monitoring."),
        ("resolved", Stage.RESOLVED, "{service} is working again."),
    ]
    return {
        slug: MessageTemplate.objects.create(
            name=slug.capitalize(), slug=slug, stage=stage, subject="{service}", body=body
        )
        for slug, stage, body in rows
    }
