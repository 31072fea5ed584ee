"""A plan engages its teams when it triggers: through a team's escalation policy where it
has one, else each member is told by e-mail; once, however often the event is handled."""

import pytest

from incidents import services as incident_services
from incidents.choices import Channel, Level
from incidents.models import IncidentEvent, Team
from incidents.tasks import dispatch_event
from preparedness.models import Engagement

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(make_user):
    person = make_user("fred", email="fred@example.com")
    team = Team.objects.create(name="Facilities", slug="facilities", lead=person)
    team.members.add(person)
    return team


@pytest.fixture
def policy(team):
    from paging.models import EscalationPolicy, EscalationStep

    policy = EscalationPolicy.objects.create(team=team, name="Network paging")
    EscalationStep.objects.create(policy=policy, position=0, team_lead=True)
    return policy


@pytest.fixture
def engaged(default_plan, team, facilities, policy):
    Engagement.objects.create(plan=default_plan, team=team, priorities=["P1"])
    Engagement.objects.create(plan=default_plan, team=facilities, priorities=["P1"])
    return default_plan


def test_a_major_declaration_engages_each_team_of_the_plan(
    incident, engaged, manager, facilities, policy, deliver
):
    from paging.models import Escalation, Page

    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    assert Escalation.objects.filter(incident=incident, policy=policy).exists()
    told = Page.objects.filter(incident=incident, user__username="fred")
    assert [(p.kind, p.reason) for p in told] == [
        ("email", "engaged by response plan Default plan")
    ]


def test_handling_the_event_again_engages_nobody_twice(incident, engaged, manager, deliver):
    from paging.models import Page

    with deliver():
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    # (Paging's own major engagement restarts on a replay; what the plan adds does not.)
    by_plan = Page.objects.filter(reason__startswith="engaged by response plan")
    told, tasks = list(by_plan), incident.tasks.count()
    event = IncidentEvent.objects.get(incident=incident, kind="major_declared")
    IncidentEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    dispatch_event(event.pk)
    assert (list(by_plan.all()), incident.tasks.count()) == (told, tasks)


def test_a_priority_the_engagement_does_not_name_engages_nobody(
    make_incident, service, engaged, deliver
):
    from paging.models import Page

    engaged.trigger_priorities = ["P1", "P2"]
    engaged.save()
    with deliver():
        incident = make_incident(service=service, impact=Level.HIGH, urgency=Level.MEDIUM)
    assert incident.priority == "P2"
    assert incident.tasks.count() == 4  # the checklist attaches at P2...
    assert not Page.objects.filter(
        incident=incident, user__username="fred"
    ).exists()  # ...fred is for P1
