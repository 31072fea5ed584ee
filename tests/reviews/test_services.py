"""Post-incident reviews: opened with a generated timeline, workflow, read-only when published."""

from datetime import date, timedelta

import pytest

from incidents import services as incident_services
from incidents.choices import Channel
from incidents.exceptions import DomainError, InvalidTransition
from reviews import services
from reviews.choices import ActionStatus, ReviewStatus
from reviews.models import PostIncidentReview

pytestmark = pytest.mark.django_db


def test_a_review_opens_with_impact_and_timeline_taken_from_the_incident(
    review, resolved_incident, service
):
    assert review.status == ReviewStatus.DRAFT
    assert review.impact_started_at == resolved_incident.opened_at
    assert review.impact_ended_at == resolved_incident.resolved_at
    assert list(review.services.all()) == [service]
    lines = list(review.timeline.values_list("source", "title"))
    assert ("comment", "Public update (Agent)") in lines
    assert any(title.startswith("Acknowledged via Admin") for _, title in lines)
    assert any(title.startswith("Resolved via Admin") for _, title in lines)
    assert not review.timeline.filter(body__contains="next_update_due").exists()
    item = review.timeline.filter(source="comment").get()
    assert item.body == "Gateway restarted."
    assert item.history.count() == 1  # generated lines have history too


def test_opening_a_review_twice_returns_the_same_review(review, resolved_incident, responder):
    assert services.review_start(incident=resolved_incident, actor=responder) == review
    assert PostIncidentReview.objects.count() == 1


def test_declaring_a_major_incident_opens_its_review(
    make_incident, manager, django_capture_on_commit_callbacks
):
    incident = make_incident()
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.incident_declare_major(
            incident=incident, actor=manager, via=Channel.ADMIN
        )
    review = PostIncidentReview.objects.get(incident=incident)
    assert review.facilitator == manager


def test_an_ordinary_incident_gets_no_review_by_itself(
    make_incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_incident()
    assert not PostIncidentReview.objects.exists()


def test_regenerating_the_timeline_keeps_hand_written_lines(review, responder):
    review.timeline.create(at=review.impact_started_at, title="Customer called the desk")
    generated = review.timeline.exclude(source="manual").count()
    assert services.review_regenerate_timeline(review=review, actor=responder) == generated
    assert review.timeline.filter(source="manual").count() == 1


def test_the_impact_cannot_end_before_it_started(review, responder):
    with pytest.raises(DomainError) as error:
        services.review_update(
            review=review,
            actor=responder,
            impact_ended_at=review.impact_started_at - timedelta(hours=1),
        )
    assert error.value.field == "impact_ended_at"


def test_publishing_needs_summary_impact_and_root_cause(review, responder):
    services.review_transition(review=review, actor=responder, to="in_review")
    with pytest.raises(DomainError, match="the impact, a root cause"):
        services.review_transition(review=review, actor=responder, to="published")


def test_a_draft_cannot_be_published_without_going_through_review(review, manager):
    with pytest.raises(InvalidTransition, match="cannot move to published"):
        services.review_transition(review=review, actor=manager, to="published")


def test_a_published_review_is_frozen_and_its_history_kept(ready_review, manager, responder):
    published = services.review_transition(review=ready_review, actor=manager, to="published")
    assert published.published_by == manager and published.published_at
    with pytest.raises(InvalidTransition, match="published"):
        services.review_update(review=published, actor=responder, summary="Rewritten")
    with pytest.raises(InvalidTransition):
        services.review_regenerate_timeline(review=published, actor=responder)
    with pytest.raises(InvalidTransition):
        services.action_item_add(review=published, actor=responder, title="Late idea")
    reasons = list(published.history.values_list("history_change_reason", flat=True))
    assert reasons[:3] == ["Published", "In review", "Edited"]


def test_action_items_of_a_published_review_only_change_status(ready_review, manager, responder):
    item = services.action_item_add(
        review=ready_review, actor=responder, title="Add memory alarm", owner=responder
    )
    services.review_transition(review=ready_review, actor=manager, to="published")
    with pytest.raises(InvalidTransition, match="only the status"):
        services.action_item_update(item=item, actor=responder, title="Something else")
    done = services.action_item_update(item=item, actor=responder, status=ActionStatus.DONE)
    assert done.status == ActionStatus.DONE and done.completed_at is not None
    assert done.history.first().history_user == responder


def test_an_action_item_says_what_will_be_done(review, responder):
    with pytest.raises(DomainError):
        services.action_item_add(review=review, actor=responder, title=" ")
    item = services.action_item_add(
        review=review,
        actor=responder,
        title="Alarm on memory",
        due_date=date(2026, 1, 1),
        follow_up_url="https://tracker.example/CHG-1",
    )
    assert item.is_overdue
