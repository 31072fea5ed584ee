"""Each figure of reports.metrics on the hand-worked week of tests/metrics/conftest.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import metrics
from tests.metrics.conftest import END, HOUR, NOW, START

pytestmark = pytest.mark.django_db


def scope(**kw):
    return metrics.Scope(start=START, end=END, **kw)


def test_opened_and_resolved_count_by_their_own_dates_and_ignore_cancelled(week):
    figures = metrics.summary(scope(), now=NOW)
    assert figures.opened == 5  # A B C D G; E cancelled, F before, H after
    assert figures.resolved == 4  # A B D, and F opened in February


def test_mtta_mean_and_median_are_time_to_first_acknowledgement(week):
    figures = metrics.summary(scope(), now=NOW)
    # A 10 min, B 5 h, C 30 min, D 20 min; G never acknowledged
    assert figures.mtta_mean == pytest.approx((600 + 18000 + 1800 + 1200) / 4, abs=1)
    assert figures.mtta_median == pytest.approx((1200 + 1800) / 2, abs=1)


def test_mttr_excludes_every_hold_and_the_time_spent_resolved_before_a_reopen(week):
    figures = metrics.summary(scope(), now=NOW)
    # A 6 h - 3 h on hold = 3 h; B 26 h - 14 h resolved before reopen = 12 h; D 6 h; F 252 h
    assert figures.mttr_mean == pytest.approx((3 + 12 + 6 + 252) * HOUR / 4, abs=1)
    assert figures.mttr_median == pytest.approx((6 + 12) * HOUR / 2, abs=1)


def test_sla_compliance_counts_decided_outcomes_including_open_breaches(week):
    figures = metrics.summary(scope(), now=NOW)
    # response: A and C in time; B, D late; G unacknowledged past its target
    assert (figures.sla_response_pct, figures.response_decided) == (40.0, 5)
    # resolution: A, B in time; D, F late; G open past target; C open within target
    assert (figures.sla_resolution_pct, figures.resolution_decided) == (40.0, 5)


def test_reopen_rate_is_the_share_of_resolved_incidents_that_were_reopened(week):
    # A, B and D were resolved at least once; B was reopened
    assert metrics.summary(scope(), now=NOW).reopen_rate_pct == 33.3


def test_figures_by_priority_split_the_same_incidents(week):
    rows = {f.key: f for f in metrics.by_dimension(scope(), "priority", now=NOW)}
    assert set(rows) == {"P1", "P2", "P3"}
    assert (rows["P1"].opened, rows["P1"].resolved) == (2, 1)  # D, G / D
    assert (rows["P1"].sla_response_pct, rows["P1"].sla_resolution_pct) == (0.0, 0.0)
    assert rows["P2"].mttr_mean == pytest.approx(3 * HOUR, abs=1)
    assert (rows["P3"].opened, rows["P3"].resolved) == (2, 2)  # B C / B F
    assert rows["P3"].sla_response_pct == 50.0  # C in time, B late
    assert rows["P3"].sla_resolution_pct == 50.0  # B in time, F late


def test_figures_by_service_put_the_busiest_first(week):
    rows = metrics.by_dimension(scope(), "service", now=NOW)
    assert [(f.label, f.opened, f.resolved) for f in rows] == [
        ("E-mail", 3, 1),
        ("VPN", 2, 3),
    ]
    assert rows[1].mttr_median == pytest.approx(12 * HOUR, abs=1)  # 3 h, 12 h, 252 h


def test_figures_by_team_channel_and_category_label_missing_values(week, team):
    teams = {f.label: f.opened for f in metrics.by_dimension(scope(), "team", now=NOW)}
    assert teams == {"Network": 2, "Service desk": 3}  # E-mail has no owner: the fallback
    channels = metrics.by_dimension(scope(), "channel", now=NOW)
    assert [(f.label, f.opened) for f in channels] == [("Portal", 5)]
    categories = metrics.by_dimension(scope(), "category", now=NOW)
    assert [(f.label, f.opened) for f in categories] == [("(none)", 5)]


def test_filtering_by_service_narrows_every_figure(week):
    figures = metrics.summary(scope(service=week["vpn"].pk), now=NOW)
    assert (figures.opened, figures.resolved) == (2, 3)
    assert figures.mtta_mean == pytest.approx((600 + 18000) / 2, abs=1)


def test_figures_by_day_use_opening_and_resolution_dates(week):
    days = {f.key.date().day: f for f in metrics.by_period(scope(), "day", now=NOW)}
    assert {day: (f.opened, f.resolved) for day, f in days.items()} == {
        1: (0, 0),  # every day of the range is there, so a chart has no gaps
        2: (1, 2),
        3: (1, 0),
        4: (1, 1),
        5: (1, 1),
        6: (1, 0),
        7: (0, 0),
    }
    assert days[2].mttr_mean == pytest.approx((3 + 252) * HOUR / 2, abs=1)
    assert days[2].label == "02 Mar 2026"
    assert days[1].mttr_mean is None and days[1].sla_response_pct is None


def test_figures_by_week_and_month_add_up_to_the_summary(week):
    weeks = metrics.by_period(scope(), "week", now=NOW)
    # 1 March 2026 is a Sunday: the range touches the weeks of 23 February and 2 March
    assert [(f.label, f.opened, f.resolved) for f in weeks] == [
        ("Week of 23 Feb 2026", 0, 0),
        ("Week of 02 Mar 2026", 5, 4),
    ]
    months = metrics.by_period(scope(), "month", now=NOW)
    assert [(f.label, f.opened, f.resolved) for f in months] == [("Mar 2026", 5, 4)]


def test_each_grouping_is_a_fixed_number_of_queries(week):
    with CaptureQueriesContext(connection) as queries:
        metrics.summary(scope(), now=NOW)
        metrics.by_dimension(scope(), "service", now=NOW)
        metrics.by_period(scope(), "day", now=NOW)
    assert len(queries) == 4  # summary, service grouping, opened by day, resolved by day


def test_an_unknown_grouping_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="Unknown dimension"):
        metrics.by_dimension(scope(), "colour")
    with pytest.raises(ValueError, match="Unknown period"):
        metrics.by_period(scope(), "year")
