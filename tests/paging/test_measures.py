"""Time to first page and time to acknowledge, per incident, team and responder; MTTA counts
a person's acknowledgement, not an integration's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from incidents import services
from incidents.choices import Channel, Level
from paging.models import Page, PageStatus
from paging.selectors import engagement_figures
from reports.metrics import Scope, summary

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCOPE = Scope(start=datetime(2026, 3, 1, tzinfo=UTC), end=datetime(2026, 3, 8, tzinfo=UTC))


def _at(minutes: float):
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def paged_story(policy, service, reporter, responder, manager, django_capture_on_commit_callbacks):
    """A: P1 opened 09:00, agent paged at once, agent acknowledges 09:04.
    B: P1 opened 10:00, agent paged at once, manager paged 10:05, manager starts 10:07."""

    def raise_p1(minutes):
        with _at(minutes), django_capture_on_commit_callbacks(execute=True):
            return services.incident_create(
                title="Down",
                reporter=reporter,
                via=Channel.PORTAL,
                service=service,
                impact=Level.HIGH,
                urgency=Level.HIGH,
            )

    a = raise_p1(0)
    with _at(4):
        services.incident_acknowledge(incident=a, actor=responder, via=Channel.PAGE)
    b = raise_p1(60)
    with _at(65), django_capture_on_commit_callbacks(execute=True):
        from paging.tasks import advance_escalations

        advance_escalations()
    with _at(67):
        services.incident_start(incident=b, actor=manager, via=Channel.ADMIN)
    return a, b


def test_time_to_first_page_and_to_acknowledge_overall_per_team_and_per_responder(paged_story):
    figures = engagement_figures(SCOPE)
    assert figures["time_to_first_page"] == {"count": 2, "mean": 0.0, "median": 0.0}
    assert figures["time_to_acknowledge"] == {"count": 2, "mean": 330.0, "median": 330.0}
    [team] = figures["teams"]
    assert team["team"] == "Network" and team["time_to_acknowledge"]["count"] == 2
    people = {row["user"]: row for row in figures["responders"]}
    assert people["agent"]["paged"] == 2 and people["agent"]["answered"] == 1
    assert people["agent"]["time_to_acknowledge"]["median"] == 240.0
    assert people["manager"]["paged"] == 1 and people["manager"]["answered"] == 1
    assert people["manager"]["time_to_acknowledge"]["median"] == 120.0  # page 10:05, start 10:07


def test_the_metrics_api_carries_the_engagement_figures(paged_story, responder, client):
    client.force_login(responder)
    body = client.get("/api/v1/metrics/?from=2026-03-01&to=2026-03-07").json()
    assert body["engagement"]["time_to_first_page"]["count"] == 2
    assert body["engagement"]["time_to_acknowledge"]["median"] == 330.0


def test_the_reports_page_shows_paging_and_acknowledgement(paged_story, manager, client):
    client.force_login(manager)
    page = client.get("/admin/reports/?start=2026-03-01&end=2026-03-07")
    assert page.status_code == 200
    assert "Paging and acknowledgement" in page.text and "2 incidents paged" in page.text


def test_mtta_does_not_count_an_integration_acknowledging_its_own_alert(
    service, reporter, responder, make_user
):
    robot = make_user("integration-robot")
    with _at(0):
        auto = services.incident_create(
            title="Disk", reporter=reporter, via=Channel.API, service=service
        )
        human = services.incident_create(
            title="Mail", reporter=reporter, via=Channel.API, service=service
        )
    with _at(1):
        services.incident_acknowledge(incident=auto, actor=robot, via=Channel.MONITORING)
    with _at(10):
        services.incident_start(incident=auto, actor=responder, via=Channel.ADMIN)
        services.incident_acknowledge(incident=human, actor=responder, via=Channel.ADMIN)
    with _at(60 * 24):
        figures = summary(SCOPE)
    assert figures.mtta_mean == 600.0 and figures.mtta_median == 600.0  # both at 10 minutes
    assert not Page.objects.filter(status=PageStatus.SENT).exists()  # no policy: no pages
