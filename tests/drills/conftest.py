"""Drill fixtures: a response plan and an incident template for the VPN service, the people
taking part (a responder and the on-call colleague) and those who must hear nothing (a
service subscriber, the team mailbox, another responder)."""

import pytest

from incidents.choices import Level
from incidents.roles import RESPONDERS
from tests.browser.conftest import (  # noqa: F401  (browser fixtures, for test_browser)
    _browser,
    _fail_missing_browser,
    page,
    pytest_collection_modifyitems,
    screenshot,
    sign_in,
)


@pytest.fixture
def bystander(make_user):
    """A responder of the team who is not taking part."""
    return make_user("bystander", group=RESPONDERS, staff=True)


@pytest.fixture
def subscriber(make_user, service):
    user = make_user("sub")
    service.subscribers.add(user)
    return user


@pytest.fixture
def plan(db, service, team):
    from preparedness.models import OwnerRole, PlanStep, ResponsePlan

    plan = ResponsePlan.objects.create(name="VPN response", service=service, lead_team=team)
    for position, text in enumerate(["Open a bridge call", "Post a status update", "Page vendor"]):
        PlanStep.objects.create(plan=plan, position=position, text=text, owner_role=OwnerRole.LEAD)
    return plan


@pytest.fixture
def template(db, service):
    from preparedness.models import IncidentTemplate, TemplateStep

    template = IncidentTemplate.objects.create(
        name="VPN outage",
        slug="vpn-outage",
        title="VPN concentrator down",
        description="Nobody can connect to the VPN.",
        service=service,
        impact=Level.HIGH,
        urgency=Level.HIGH,
    )
    TemplateStep.objects.create(template=template, position=0, text="Check the concentrator")
    TemplateStep.objects.create(template=template, position=1, text="Fail over")
    return template


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """`with deliver(): ...` runs the on-commit work inline (events, mails, pages)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def start_drill(manager, responder, deliver):
    """Start a drill of the template (or what is given) with the responder taking part."""
    from drills.services import drill_start

    def start(**fields):
        fields = {"manager": manager, "participants": [responder], **fields}
        with deliver():
            return drill_start(**fields)

    return start
