"""With the shared cache (Redis), the signed-in person's user row and their language and
time zone come from one cache read instead of a query per request, and any change to the
account (switched off, staff flag, password, preferences) applies at their next request.
Without a shared cache, or with Redis down, the user is read from the database."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itsm.accounts import account_sessions_end
from profiles.services import profile_save

pytestmark = pytest.mark.django_db

LIST = reverse("admin:incidents_incident_changelist")
PORTAL = reverse("portal:home")


def user_queries(client, url=LIST) -> tuple[int, int]:
    """(status, statements that read the user table's rows by id)."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    by_id = 'FROM "auth_user" WHERE "auth_user"."id" = '
    return status, sum(by_id in q["sql"] for q in captured.captured_queries)


@pytest.mark.services
def test_the_user_is_read_once_then_from_the_shared_cache(client, responder, shared_cache):
    client.force_login(responder)
    assert user_queries(client) == (200, 1)
    assert user_queries(client) == (200, 0)
    assert user_queries(client, PORTAL) == (200, 0)


@pytest.mark.services
def test_an_account_switched_off_is_signed_out_at_the_next_request(client, reporter, shared_cache):
    client.force_login(reporter)
    assert user_queries(client, PORTAL) == (200, 1)
    reporter.is_active = False
    reporter.save()
    assert client.get(PORTAL).status_code == 302  # to the sign-in page


@pytest.mark.services
def test_staff_status_taken_away_applies_at_the_next_request(client, responder, shared_cache):
    client.force_login(responder)
    assert client.get(LIST).status_code == 200
    responder.is_staff = False
    responder.save()
    assert client.get(LIST).status_code == 302  # the admin's sign-in page


@pytest.mark.services
def test_a_new_password_ends_the_other_sessions(client, reporter, shared_cache):
    client.force_login(reporter)
    assert client.get(PORTAL).status_code == 200
    reporter.set_password("a-new-password-2026")
    reporter.save()
    assert client.get(PORTAL).status_code == 302


@pytest.mark.services
def test_a_changed_language_shows_at_the_next_request(client, reporter, shared_cache):
    client.force_login(reporter)
    assert client.get(PORTAL).headers["Content-Language"] == "en-gb"
    profile_save(user=reporter, language="de", time_zone="Europe/Berlin")
    assert client.get(PORTAL).headers["Content-Language"] == "de"


@pytest.mark.services
def test_a_deactivated_account_must_sign_in_again_once_reactivated(
    client, reporter, shared_cache, settings
):
    """Its sessions end in the session cache too, not only in the database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(reporter)
    assert client.get(PORTAL).status_code == 200
    get_user_model().objects.filter(pk=reporter.pk).update(is_active=False)
    account_sessions_end(reporter)
    get_user_model().objects.filter(pk=reporter.pk).update(is_active=True)
    assert client.get(PORTAL).status_code == 302


def test_without_a_shared_cache_every_request_reads_the_user(client, responder):
    # A per-process cache would keep a switched-off account alive in the other processes.
    client.force_login(responder)
    assert user_queries(client) == (200, 1)
    assert user_queries(client) == (200, 1)


def test_with_redis_down_the_user_comes_from_the_database(client, reporter, redis_down):
    client.force_login(reporter)
    assert user_queries(client, PORTAL) == (200, 1)
    reporter.is_active = False
    reporter.save()
    assert client.get(PORTAL).status_code == 302
