"""`make run`'s demo data includes someone on call and a policy that pages them."""

import pytest
from django.core.management import call_command

from oncall.selectors import users_on_call
from paging.models import EscalationPolicy, Page

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_on_call_rotation_and_a_policy_and_running_it_twice_adds_nothing():
    call_command("seed_demo", "--password", "demo-pass-2026", verbosity=0)
    call_command("seed_demo", "--password", "demo-pass-2026", verbosity=0)
    policy = EscalationPolicy.objects.get()
    assert policy.team.slug == "network"
    first, second = policy.steps.all()
    [schedule] = first.schedules.all()
    assert [u.username for u in users_on_call(schedule)] in (["agent"], ["manager"])
    assert second.team_lead and second.incident_managers
    assert schedule.layers.count() == 1
    assert Page.objects.count() == Page.objects.filter(incident__team=policy.team).count()
