"""Reviews in the admin: opening one, editing with action items, status buttons, read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.choices import ActionStatus, ReviewStatus
from reviews.models import PostIncidentReview

pytestmark = pytest.mark.django_db


def change_url(review):
    return reverse("admin:reviews_postincidentreview_change", args=[review.pk])


def form_data(review, **overrides):
    """The change form as the browser posts it, with its inlines."""
    items = list(review.action_items.all())
    data = {
        "facilitator": review.facilitator_id or "",
        "summary": review.summary,
        "impact": review.impact,
        "users_affected": review.users_affected or "",
        "impact_started_at_0": "",
        "impact_started_at_1": "",
        "impact_ended_at_0": "",
        "impact_ended_at_1": "",
        "services": [s.pk for s in review.services.all()],
        "root_cause": review.root_cause,
        "contributing_factors": "",
        "went_well": "",
        "went_badly": "",
        "timeline-TOTAL_FORMS": "0",
        "timeline-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": str(len(items)),
        "action_items-INITIAL_FORMS": str(len(items)),
    }
    for index, item in enumerate(items):
        prefix = f"action_items-{index}-"
        data.update(
            {
                prefix + "id": item.pk,
                prefix + "review": review.pk,
                prefix + "title": item.title,
                prefix + "owner": item.owner_id or "",
                prefix + "due_date": item.due_date or "",
                prefix + "status": item.status,
                prefix + "follow_up_url": item.follow_up_url,
                prefix + "follow_up_problem": "",
            }
        )
    data.update(overrides)
    return data


def test_a_responder_opens_a_review_for_an_incident_with_its_timeline(
    client, responder, resolved_incident
):
    client.force_login(responder)
    data = {
        "incident": resolved_incident.pk,
        "summary": "VPN gateway outage",
        "impact": "",
        "timeline-TOTAL_FORMS": "0",
        "timeline-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "1",
        "action_items-INITIAL_FORMS": "0",
        "action_items-0-title": "Alarm on gateway memory",
        "action_items-0-owner": responder.pk,
        "action_items-0-due_date": "2030-01-31",
        "action_items-0-status": "open",
        "action_items-0-follow_up_url": "tracker.example/CHG-7",
    }
    response = client.post(reverse("admin:reviews_postincidentreview_add"), data)
    review = PostIncidentReview.objects.get()
    assert response.status_code == 302
    assert review.summary == "VPN gateway outage" and review.timeline.exists()
    item = review.action_items.get()
    assert item.follow_up_url == "https://tracker.example/CHG-7"
    assert item.history.first().history_user == responder


def test_an_incident_gets_one_review_only(client, responder, review, resolved_incident):
    client.force_login(responder)
    data = {
        "incident": resolved_incident.pk,
        "timeline-TOTAL_FORMS": "0",
        "timeline-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "0",
        "action_items-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:reviews_postincidentreview_add"), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_the_change_form_saves_then_submits_for_review(client, responder, review):
    client.force_login(responder)
    response = client.post(
        change_url(review), form_data(review, summary="Gateway OOM", _submit_review="1")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.summary, review.status) == ("Gateway OOM", ReviewStatus.IN_REVIEW)


def test_publishing_with_gaps_keeps_the_edits_and_says_what_is_missing(
    client, manager, review, responder
):
    services.review_transition(review=review, actor=responder, to="in_review")
    client.force_login(manager)
    response = client.post(
        change_url(review),
        form_data(review, impact="Remote staff offline", _publish="1"),
        follow=True,
    )
    assert "Before publishing, write a root cause." in response.content.decode()
    review.refresh_from_db()
    assert (review.impact, review.status) == ("Remote staff offline", ReviewStatus.IN_REVIEW)


def test_only_managers_get_the_publish_button(client, responder, manager, ready_review):
    client.force_login(responder)
    assert 'name="_publish"' not in client.get(change_url(ready_review)).content.decode()
    client.post(change_url(ready_review), form_data(ready_review, _publish="1"))
    ready_review.refresh_from_db()
    assert ready_review.status == ReviewStatus.IN_REVIEW
    client.force_login(manager)
    assert 'name="_publish"' in client.get(change_url(ready_review)).content.decode()
    client.post(change_url(ready_review), form_data(ready_review, _publish="1"))
    ready_review.refresh_from_db()
    assert ready_review.status == ReviewStatus.PUBLISHED


def test_a_published_review_is_shown_read_only(client, manager, ready_review):
    services.review_transition(review=ready_review, actor=manager, to="published")
    client.force_login(manager)
    page = client.get(change_url(ready_review)).content.decode()
    assert 'name="summary"' not in page and 'name="_save"' not in page
    assert "Published reviews are read-only" in page
    response = client.post(change_url(ready_review), form_data(ready_review, summary="Rewritten"))
    assert response.status_code == 403
    ready_review.refresh_from_db()
    assert ready_review.summary != "Rewritten"
    history = client.get(
        reverse("admin:reviews_postincidentreview_history", args=[ready_review.pk])
    )
    assert history.status_code == 200 and "Published" in history.content.decode()


def test_the_owner_closes_an_action_item_of_a_published_review(
    client, responder, manager, ready_review
):
    item = services.action_item_add(
        review=ready_review,
        actor=responder,
        title="Alarm on memory",
        owner=responder,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    services.review_transition(review=ready_review, actor=manager, to="published")
    client.force_login(responder)
    url = reverse("admin:reviews_actionitem_change", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' in page and 'name="title"' not in page
    client.post(url, {"status": ActionStatus.DONE})
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and not item.is_overdue


def test_the_review_list_takes_a_fixed_number_of_queries(
    client, responder, make_incident, django_assert_num_queries
):
    for number in range(4):
        review = services.review_start(incident=make_incident(title=f"I{number}"), actor=responder)
        services.action_item_add(review=review, actor=responder, title="Do it", owner=responder)
    client.force_login(responder)
    # 1 session, 2 user, 3-4 permissions, 5 count, 6 count for the filter, 7 the rows with
    # incident, facilitator and action item counts in one query
    with django_assert_num_queries(7):
        assert client.get(reverse("admin:reviews_postincidentreview_changelist")).status_code == 200
