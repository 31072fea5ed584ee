"""Fixtures of reviews: a resolved incident and its review at each stage."""

import pytest

from incidents import services as incident_services
from incidents.choices import Channel
from reviews import services


@pytest.fixture
def resolved_incident(make_incident, service, responder):
    incident = make_incident(title="VPN outage", service=service)
    incident_services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    incident_services.incident_comment(
        incident=incident,
        author=responder,
        via=Channel.ADMIN,
        public=True,
        body="Gateway restarted.",
    )
    return incident_services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Restarted the gateway.",
    )


@pytest.fixture
def review(resolved_incident, responder):
    return services.review_start(incident=resolved_incident, actor=responder)


@pytest.fixture
def ready_review(review, responder):
    """In review, with everything publishing needs."""
    services.review_update(
        review=review,
        actor=responder,
        impact="Remote staff could not connect for 2 hours.",
        root_cause="Gateway ran out of memory.",
    )
    return services.review_transition(review=review, actor=responder, to="in_review")
