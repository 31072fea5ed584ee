"""Schemathesis explores every operation of /api/schema/ against the app itself (WSGI, in
the test database) and checks that no input causes a 5xx and that every response matches
the schema: status codes, content types, headers and bodies as documented."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services import api_token_create

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 5


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Requests go through the real WSGI handler, whose request signals would close the
    database connection (and with it the test's transaction), as Django's test client
    prevents for its own requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unthrottled_with_one_incident(settings, make_incident, service):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"},
    }
    make_incident(service=service)  # INC0001001, the number used in the schema's examples


@pytest.fixture
def manager_bearer(manager):
    _, secret = api_token_create(user=manager, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


# Loading the schema needs no database: the schema view is public and reads none.
# The monitoring intake answers in its senders' contracts (Alertmanager, PagerDuty), not ours.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(
    path_regex=r"^/api/v1/(integrations|events)/"
)

# Every check except positive_data_acceptance, which expects a 2xx for any input the schema
# allows; but a service slug, hold reason or resolution code is schema-valid text that only
# the database can accept or refuse (400 with the field named), and a schema cannot list it.
NOT_APPLICABLE = [positive_data_acceptance]


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_breaks_the_api_or_its_schema(case, manager_bearer):
    case.call_and_validate(headers=manager_bearer, excluded_checks=NOT_APPLICABLE)
