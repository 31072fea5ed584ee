"""contact_plan: a person's rules by priority, ordered by delay, with e-mail as default."""

import pytest

from messaging.models import ContactMethod, ContactRule
from messaging.selectors import PlannedContact, contact_plan

pytestmark = pytest.mark.django_db

PUSH = "ntfys://ntfy.example.com/agent-phone-topic"


@pytest.fixture
def methods(responder):
    def add(kind, target, **fields):
        return ContactMethod.objects.create(
            user=responder, kind=kind, label=kind, target=target, **fields
        )

    return {
        "push": add("push", PUSH),
        "email": add("email", "agent.pager@example.com"),
        "sms": add("sms", "json://sms.example.com/send"),
    }


def rule(user, method, delay, *priorities):
    return ContactRule.objects.create(
        user=user, contact_method=method, delay_minutes=delay, priorities=list(priorities)
    )


def test_without_rules_the_plan_is_one_email_to_the_users_own_address_at_once(responder):
    assert contact_plan(responder, "P1") == [
        PlannedContact(method=None, kind="email", target="agent@example.com", delay_minutes=0)
    ]


def test_a_user_without_rules_or_address_has_an_empty_plan(make_user):
    nobody = make_user("ghost", email=" ")
    nobody.email = ""
    nobody.save()
    assert contact_plan(nobody, "P1") == []


def test_p1_push_now_then_email_after_two_minutes(responder, methods):
    rule(responder, methods["email"], 2, "P1")
    rule(responder, methods["push"], 0, "P1")
    plan = contact_plan(responder, "P1")
    assert [(p.kind, p.target, p.delay_minutes) for p in plan] == [
        ("push", PUSH, 0),
        ("email", "agent.pager@example.com", 2),
    ]
    assert plan[0].method == methods["push"]


def test_rules_for_other_priorities_do_not_apply_and_the_default_takes_over(responder, methods):
    rule(responder, methods["push"], 0, "P1", "P2")
    assert [p.kind for p in contact_plan(responder, "P2")] == ["push"]
    assert contact_plan(responder, "P3") == [PlannedContact(None, "email", "agent@example.com", 0)]


def test_a_rule_without_priorities_applies_to_every_priority(responder, methods):
    rule(responder, methods["sms"], 5)
    rule(responder, methods["push"], 0, "P1")
    assert [(p.kind, p.delay_minutes) for p in contact_plan(responder, "P1")] == [
        ("push", 0),
        ("sms", 5),
    ]
    assert [(p.kind, p.delay_minutes) for p in contact_plan(responder, "P4")] == [("sms", 5)]


def test_an_inactive_method_is_left_out(responder, methods):
    rule(responder, methods["push"], 0, "P1")
    rule(responder, methods["email"], 3, "P1")
    methods["push"].active = False
    methods["push"].save()
    assert [p.kind for p in contact_plan(responder, "P1")] == ["email"]


def test_another_persons_rules_are_not_in_my_plan(responder, manager, methods):
    rule(responder, methods["push"], 0)
    assert [p.target for p in contact_plan(manager, "P1")] == ["manager@example.com"]


def test_the_target_stays_out_of_the_repr(responder, methods):
    rule(responder, methods["push"], 0)
    assert "agent-phone-topic" not in repr(contact_plan(responder, "P1"))


def test_the_plan_costs_one_query(responder, methods, django_assert_num_queries):
    rule(responder, methods["push"], 0)
    rule(responder, methods["email"], 2)
    with django_assert_num_queries(1):  # rules with their methods
        contact_plan(responder, "P1")
