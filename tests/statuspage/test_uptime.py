"""Uptime bars from incident intervals: a three-day example worked out by hand."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from incidents.models import Service
from statuspage import selectors, services
from statuspage.models import DailyUptime
from statuspage.uptime import merge, subtract
from tests.statuspage.conftest import at

pytestmark = pytest.mark.django_db
NOW = at("11-03 12:00")


@pytest.fixture
def three_days(place, make_incident, service):
    """On VPN, 1-3 November 2026 (UTC):
    1 Nov  degraded 10:00-14:00 and 12:00-16:00 (merged: 10:00-16:00, 360 min),
           outage 13:00-15:00 (120 min, taken out of the degradation: 240 min left),
           outage 23:00 until 2 Nov 01:30 (60 min on the 1st)      => 180 outage, 240 degraded
    2 Nov  that outage until 01:30, a major one 01:00-02:00 (merged 00:00-02:00) => 120, 0
    3 Nov  degraded from 08:00, still open at noon                  => 0, 240
    Not counted: a confidential outage and a low-impact report (affects its reporter only).
    """
    place(at("11-01 10:00"), at("11-01 14:00"))
    place(at("11-01 12:00"), at("11-01 16:00"))
    place(at("11-01 13:00"), at("11-01 15:00"), priority="P1")
    place(at("11-01 23:00"), at("11-02 01:30"), priority="P2")
    place(at("11-02 01:00"), at("11-02 02:00"), priority="P4", major=True)
    place(at("11-03 08:00"))
    place(at("11-03 01:00"), at("11-03 09:00"), priority="P1", confidential=True)
    place(at("11-03 01:00"), at("11-03 09:00"), priority="P1", impact="low")
    services.uptime_refresh(first_day=date(2026, 11, 1), last_day=date(2026, 11, 3), now=NOW)


def minutes(service) -> dict:
    rows = DailyUptime.objects.filter(service=service).order_by("day")
    return {row.day.day: (row.outage_minutes, row.degraded_minutes) for row in rows}


def test_overlapping_incidents_count_once_per_minute_and_outage_beats_degradation(
    three_days, service
):
    assert minutes(service) == {1: (180, 240), 2: (120, 0), 3: (0, 240)}


def test_the_uptime_percentage_counts_outage_minutes_of_the_last_90_days(three_days, service):
    uptime = selectors.uptime_by_service([service.pk], NOW)[service.pk]
    assert len(uptime.days) == 90
    assert uptime.days[-1].day == date(2026, 11, 3)
    assert [(d.outage, d.degraded, d.level) for d in uptime.days[-3:]] == [
        (180, 240, "outage"),
        (120, 0, "outage"),
        (0, 240, "degraded"),
    ]
    assert uptime.days[0].level == "operational"
    # 89 whole days and 12 hours: 128,880 minutes, 300 of them outage.
    assert uptime.percent == round(100 * (1 - 300 / 128_880), 2) == 99.77


def test_a_service_without_incidents_gets_rows_of_zero(three_days, team):
    quiet = Service.objects.create(name="Printing", slug="printing", owner_team=team)
    services.uptime_refresh(first_day=date(2026, 11, 1), last_day=date(2026, 11, 3), now=NOW)
    assert minutes(quiet) == {1: (0, 0), 2: (0, 0), 3: (0, 0)}


def test_refreshing_twice_writes_the_same_rows(three_days, service):
    services.uptime_refresh(first_day=date(2026, 11, 1), last_day=date(2026, 11, 3), now=NOW)
    assert DailyUptime.objects.filter(service=service).count() == 3
    assert minutes(service) == {1: (180, 240), 2: (120, 0), 3: (0, 240)}


def test_intervals_merge_and_subtract():
    a, b, c, d = at("11-01 10:00"), at("11-01 12:00"), at("11-01 14:00"), at("11-01 16:00")
    assert merge([(b, d), (a, c)]) == [(a, d)]
    assert subtract([(a, d)], [(b, c)]) == [(a, b), (c, d)]


def test_a_resolved_incident_updates_todays_bar_when_its_event_is_dispatched(
    make_incident, service, resolve, django_capture_on_commit_callbacks
):
    from incidents.models import Incident

    incident = make_incident(service=service)
    two_hours_ago = timezone.now() - timezone.timedelta(hours=2)
    Incident.objects.filter(pk=incident.pk).update(opened_at=two_hours_ago, priority="P1")
    incident.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        resolve(incident)
    rows = DailyUptime.objects.filter(service=service)
    assert sum(row.outage_minutes for row in rows) == 120


def test_the_beat_task_refreshes_today_and_yesterday(place, service):
    from statuspage.tasks import refresh_uptime

    place(timezone.now() - timezone.timedelta(minutes=30), priority="P2")
    assert refresh_uptime() == 90  # the first run fills all 90 days
    assert refresh_uptime() == 2  # then one service, two days
    rows = DailyUptime.objects.filter(service=service)
    assert sum(row.outage_minutes for row in rows) in (29, 30, 31)


def test_a_new_incident_waits_for_the_beat_and_a_backdated_one_counts_at_once(
    make_incident, service, django_capture_on_commit_callbacks
):
    from statuspage.tasks import refresh_uptime

    rows = DailyUptime.objects.filter(service=service)
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(service=service, priority="P1")
    assert not rows.exists()  # nothing to count yet: the beat counts it as it goes on
    refresh_uptime()
    assert rows.exists()
    # Opened yesterday at 10:00 on the page's clock, whatever the time now: ongoing since.
    zone = selectors.page_zone()
    yesterday = timezone.localtime(timezone.now(), zone).date() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(
            service=service, priority="P1", opened_at=datetime.combine(yesterday, time(10), zone)
        )
    assert rows.get(day=yesterday).outage_minutes >= 13 * 60  # to midnight (DST: 13-15 h)
