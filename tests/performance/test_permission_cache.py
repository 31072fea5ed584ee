"""With the shared cache (Redis), a person's permissions are read from it instead of two
queries per request, and any change to who may do what applies at that person's next
request. Without a shared cache, or with Redis down, they come from the database."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.roles import RESPONDERS

pytestmark = pytest.mark.django_db

LIST = reverse("admin:incidents_incident_changelist")


def permission_queries(client, url=LIST) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, sum('"auth_permission"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.services
def test_permissions_are_read_once_then_from_the_shared_cache(client, responder, shared_cache):
    client.force_login(responder)
    assert permission_queries(client) == (200, 2)  # the user's own and their groups'
    assert permission_queries(client) == (200, 0)


@pytest.mark.services
def test_a_responder_taken_out_of_the_role_is_refused_at_the_next_request(
    client, responder, shared_cache
):
    client.force_login(responder)
    assert permission_queries(client) == (200, 2)
    responder.groups.remove(Group.objects.get(name=RESPONDERS))
    assert client.get(LIST).status_code == 403


@pytest.mark.services
def test_a_permission_taken_from_the_group_applies_to_its_members_at_once(
    client, responder, shared_cache
):
    client.force_login(responder)
    assert client.get(LIST).status_code == 200
    group = Group.objects.get(name=RESPONDERS)
    for codename in ("view_incident", "change_incident"):
        group.permissions.remove(Permission.objects.get(codename=codename))
    assert client.get(LIST).status_code == 403


@pytest.mark.services
def test_a_permission_given_to_a_person_applies_at_once(client, make_user, shared_cache):
    person = make_user("clerk", staff=True)
    client.force_login(person)
    assert client.get(LIST).status_code == 403
    person.user_permissions.add(Permission.objects.get(codename="view_incident"))
    assert client.get(LIST).status_code == 200


@pytest.mark.services
def test_a_superuser_flag_taken_away_applies_at_once(client, superuser, shared_cache):
    client.force_login(superuser)
    assert client.get(LIST).status_code == 200
    superuser.is_superuser = False
    superuser.save()
    assert client.get(LIST).status_code == 403


def test_without_a_shared_cache_every_request_asks_the_database(client, responder):
    # A per-process cache would keep a withdrawn permission alive in the other processes.
    client.force_login(responder)
    assert permission_queries(client) == (200, 2)
    assert permission_queries(client) == (200, 2)


def test_with_redis_down_permissions_come_from_the_database(client, responder, redis_down):
    client.force_login(responder)
    assert permission_queries(client) == (200, 2)
    responder.groups.clear()
    assert client.get(LIST).status_code == 403
