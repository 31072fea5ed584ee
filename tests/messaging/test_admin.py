"""The admin: managers keep team channels and test them; everyone keeps their own contact
methods and rules; list pages cost a fixed number of queries."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from incidents.roles import MANAGERS, RESPONDERS
from messaging.models import ContactMethod, ContactRule, TeamChannel

pytestmark = pytest.mark.django_db

CHANNELS = "/admin/messaging/teamchannel/"
METHODS = "/admin/messaging/contactmethod/"
RULES = "/admin/messaging/contactrule/"
MESSAGES = "/admin/messaging/channelmessage/"
TOPIC = "ntfys://ntfy.example.com/private-topic-{}"


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_roles_hold_their_messaging_permissions():
    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    responders, managers = codenames(RESPONDERS), codenames(MANAGERS)
    assert {"add_contactmethod", "change_contactrule", "view_teamchannel"} <= responders
    assert "change_teamchannel" not in responders
    assert {"add_teamchannel", "change_teamchannel", "view_channelmessage"} <= managers


def test_the_test_action_reports_success_and_failure_per_channel(
    client, manager, make_channel, receiver, dead_port
):
    good = make_channel(receiver.url("json", "ok"), name="Good room")
    bad = make_channel(f"json://127.0.0.1:{dead_port}/down", name="Broken room")
    client.force_login(manager)
    response = client.post(
        CHANNELS, {"action": "send_test_message", "_selected_action": [good.pk, bad.pk]}
    )
    assert response.status_code == 302
    shown = texts(response)
    assert "Good room (Network): test message sent." in shown
    assert any(t.startswith("Broken room (Network): A Connection error") for t in shown)
    [request] = receiver.wait_for(1)
    assert request.json["title"] == "Test message for Network"


def test_a_responder_cannot_add_or_test_channels(client, responder, make_channel, receiver):
    channel = make_channel(receiver.url("json", "ok"))
    client.force_login(responder)
    assert client.get(f"{CHANNELS}add/").status_code == 403
    client.post(CHANNELS, {"action": "send_test_message", "_selected_action": [channel.pk]})
    assert receiver.requests == []


def test_a_responder_adds_a_contact_method_for_themselves(client, responder):
    client.force_login(responder)
    form = {"kind": "push", "label": "Phone", "target": TOPIC.format(1), "active": "on"}
    assert client.post(f"{METHODS}add/", form).status_code == 302
    method = ContactMethod.objects.get()
    assert (method.user, method.target) == (responder, TOPIC.format(1))


def test_a_contact_method_target_is_checked_for_its_kind(client, responder):
    client.force_login(responder)
    form = {"kind": "email", "label": "Mail", "target": "not-an-address", "active": "on"}
    assert "Enter a valid email address" in client.post(f"{METHODS}add/", form).content.decode()
    form.update(kind="sms", target="nonsense://x")
    assert "Apprise does not understand" in client.post(f"{METHODS}add/", form).content.decode()
    assert not ContactMethod.objects.exists()


def test_people_see_only_their_own_contact_methods_and_managers_see_all_masked(
    client, responder, other_responder, manager
):
    mine = ContactMethod.objects.create(
        user=responder, kind="push", label="Mine", target=TOPIC.format(1)
    )
    theirs = ContactMethod.objects.create(
        user=other_responder, kind="push", label="Theirs", target=TOPIC.format(2)
    )
    client.force_login(responder)
    listing = client.get(METHODS).content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(f"{METHODS}{theirs.pk}/change/").status_code == 302  # "does not exist"
    client.force_login(manager)
    listing = client.get(METHODS).content.decode()
    assert "Mine" in listing and "Theirs" in listing
    page = client.get(f"{METHODS}{mine.pk}/change/").content.decode()
    assert "private-topic" not in listing + page
    assert "ntfys://ntfy.example.com/…" in page
    form = {"kind": "push", "label": "Hijacked", "target": "", "active": "on"}
    assert client.post(f"{METHODS}{mine.pk}/change/", form).status_code == 403
    mine.refresh_from_db()
    assert mine.label == "Mine"


def test_a_rule_can_only_use_ones_own_contact_methods(client, responder, other_responder):
    mine = ContactMethod.objects.create(
        user=responder, kind="push", label="Mine", target=TOPIC.format(1)
    )
    theirs = ContactMethod.objects.create(
        user=other_responder, kind="push", label="Theirs", target=TOPIC.format(2)
    )
    client.force_login(responder)
    form = {"priorities": ["P1"], "contact_method": theirs.pk, "delay_minutes": 0}
    response = client.post(f"{RULES}add/", form)
    assert "Select a valid choice" in response.content.decode()
    form["contact_method"] = mine.pk
    assert client.post(f"{RULES}add/", form).status_code == 302
    rule = ContactRule.objects.get()
    assert (rule.user, rule.priorities, rule.contact_method) == (responder, ["P1"], mine)


# Every admin page: session, user, and the user's and groups' permissions (2). Then:
LIST_QUERIES = {
    CHANNELS: 4 + 4,  # team filter choices, counts (filtered, total), rows with their team
    METHODS: 4 + 3,  # counts (filtered, total), rows with their user
    RULES: 4 + 3,  # counts (filtered, total), rows with user and contact method
    MESSAGES: 4 + 2,  # count (no full count), rows with channel and team
}


@pytest.mark.parametrize("page", list(LIST_QUERIES))
def test_list_pages_cost_a_fixed_number_of_queries_whatever_the_rows(
    client, manager, team, make_incident, service, django_assert_num_queries, page
):
    from messaging.services import channels_post

    incident = make_incident(service=service, priority="P1")
    for n in range(5):
        TeamChannel.objects.create(team=team, name=f"Room {n}", url=TOPIC.format(n))
        method = ContactMethod.objects.create(
            user=manager, kind="push", label=f"M{n}", target=TOPIC.format(n)
        )
        ContactRule.objects.create(user=manager, contact_method=method, priorities=["P1"])
    channels_post(team=team, incident=incident, kind="created", title="t", body="b")
    client.force_login(manager)
    with django_assert_num_queries(LIST_QUERIES[page]):
        assert client.get(page).status_code == 200
