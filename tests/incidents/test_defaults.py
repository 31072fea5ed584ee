import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from incidents.defaults import ensure_defaults
from incidents.models import HoldReason, PriorityRule, ResolutionCode, SLAPolicy
from incidents.roles import MANAGERS, RESPONDERS


@pytest.mark.django_db
def test_a_hold_reason_a_manager_deleted_stays_deleted():
    HoldReason.objects.filter(code="awaiting_change").delete()
    ensure_defaults()
    assert not HoldReason.objects.filter(code="awaiting_change").exists()
    assert PriorityRule.objects.count() == 9


@pytest.mark.django_db(transaction=True)
def test_an_emptied_database_gets_rules_and_roles_back():
    call_command("flush", interactive=False, verbosity=0)
    assert SLAPolicy.objects.count() == 5
    assert ResolutionCode.objects.filter(code="fixed").exists()
    assert HoldReason.objects.get(code="awaiting_user").pauses_sla
    responders = Group.objects.get(name=RESPONDERS)
    assert responders.permissions.filter(codename="change_incident").exists()
    assert not responders.permissions.filter(codename="change_slapolicy").exists()
    assert Group.objects.get(name=MANAGERS).permissions.filter(codename="change_slapolicy").exists()
