"""Satisfaction figures in the metrics API and on the reports page, against hand-computed
numbers: five ratings in March and April 2026 over two teams, services and categories.

    #  team     service  category   rated       score
    1  Network  VPN      Hardware   2026-03-05  5
    2  Network  VPN      Hardware   2026-03-20  4
    3  Network  VPN      Software   2026-04-02  1
    4  Desk     Mail     Software   2026-04-10  3
    5  Desk     Mail     (none)     2026-04-15  5
    6  Desk     Mail     (none)     2026-05-02  1   (after the range: not counted)
    7  Network  VPN      Hardware   2026-03-10  1   (confidential: only those who may see it)

All five: 18/5 = 3.6 average, 3 of 5 satisfied = 60.0 %.
"""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents.models import Category, Service, Team
from satisfaction.services import rating_record
from tests.satisfaction.conftest import resolve

pytestmark = pytest.mark.django_db
RANGE = {"from": "2026-03-01", "to": "2026-04-30"}


def at(day: str):
    moment = datetime.fromisoformat(f"{day}T12:00").replace(tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def ratings(make_incident, team, service, responder, reporter, other_responder):
    desk = Team.objects.create(name="Desk", slug="desk")
    mail = Service.objects.create(name="Mail", slug="mail", owner_team=desk)
    hardware = Category.objects.create(name="Hardware")
    software = Category.objects.create(name="Software")
    rows = [
        (team, service, hardware, "2026-03-05", 5, False),
        (team, service, hardware, "2026-03-20", 4, False),
        (team, service, software, "2026-04-02", 1, False),
        (desk, mail, software, "2026-04-10", 3, False),
        (desk, mail, None, "2026-04-15", 5, False),
        (desk, mail, None, "2026-05-02", 1, False),
        (team, service, hardware, "2026-03-10", 1, True),
    ]
    for n, (owner, affected, category, day, score, confidential) in enumerate(rows):
        with at(day):
            incident = make_incident(
                title=f"Problem {n}", team=owner, service=affected, category=category,
                confidential=confidential,
            )  # fmt: skip
            resolve(incident, other_responder if confidential else responder)
            rating_record(incident=incident, user_or_token=reporter, score=score, comment="")


def metrics(user, **params):
    _, secret = api_token_create(user=user, name="metrics")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = api.get("/api/v1/metrics/", {**RANGE, **params})
    assert response.status_code == 200, response.content
    return response.json()["satisfaction"]


def figures(rows) -> dict:
    return {row["label"]: (row["count"], row["average"], row["satisfied_pct"]) for row in rows}


def test_the_metrics_api_gives_count_average_and_share_satisfied(ratings, responder):
    body = metrics(responder)
    assert body["summary"] == {"count": 5, "average": 3.6, "satisfied_pct": 60.0}


def test_the_figures_per_team_service_category_and_month(ratings, responder):
    body = metrics(responder)
    assert figures(body["teams"]) == {"Network": (3, 3.33, 66.7), "Desk": (2, 4.0, 50.0)}
    assert figures(body["services"]) == {"VPN": (3, 3.33, 66.7), "Mail": (2, 4.0, 50.0)}
    assert figures(body["categories"]) == {
        "Hardware": (2, 4.5, 100.0),
        "Software": (2, 2.0, 0.0),
        "(none)": (1, 5.0, 100.0),
    }
    assert [(m["key"], m["count"], m["average"], m["satisfied_pct"]) for m in body["months"]] == [
        ("2026-03", 2, 4.5, 100.0),
        ("2026-04", 3, 3.0, 33.3),
    ]


def test_the_team_filter_narrows_the_ratings(ratings, responder):
    desk = Team.objects.get(slug="desk")
    assert metrics(responder, team=desk.pk)["summary"] == {
        "count": 2,
        "average": 4.0,
        "satisfied_pct": 50.0,
    }


def test_a_confidential_incidents_rating_counts_only_for_those_who_may_see_it(ratings, manager):
    summary = metrics(manager)["summary"]
    assert summary == {"count": 6, "average": 3.17, "satisfied_pct": 50.0}  # 19/6


def test_no_ratings_give_empty_figures(db, responder):
    assert metrics(responder) == {
        "summary": {"count": 0, "average": None, "satisfied_pct": None},
        "teams": [],
        "services": [],
        "categories": [],
        "months": [],
    }


def test_the_reports_page_shows_the_satisfaction_section(ratings, client_for, responder):
    page = (
        client_for(responder)
        .get("/admin/reports/", {"start": "2026-03-01", "end": "2026-04-30"})
        .content.decode()
    )
    assert "Reporter satisfaction" in page
    assert "5 ratings given: average 3.60 out of 5, 60.0% satisfied (4 or 5)." in page
    assert "<caption>By category</caption>" in page
    assert "66.7%" in page
