"""The reports page: charts, filters, CSV downloads, permissions and a fixed query count."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from tests.metrics.conftest import NOW

pytestmark = pytest.mark.django_db
URL = reverse("admin:reports")
RANGE = {"start": "2026-03-01", "end": "2026-03-07"}


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_responders_see_figures_and_four_charts(client, responder, week, at_now):
    client.force_login(responder)
    response = client.get(URL, RANGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="report-chart"') == 4
    for title in (
        "Incidents opened and resolved",
        "Time to resolve (hours, hold time excluded)",
        "SLA compliance by priority",
        "Top services by incidents opened",
    ):
        assert title in html
    assert '<span class="tile-value">5</span><span class="tile-label">opened' in html
    assert (
        '<span class="tile-value">40 %</span><span class="tile-label">responses within SLA' in html
    )


def test_the_page_is_listed_in_the_workspace_for_responders(client, responder):
    client.force_login(responder)
    assert 'href="/admin/reports/"' in client.get(reverse("admin:index")).content.decode()


def test_filtering_by_service_narrows_the_figures(client, responder, week, at_now):
    client.force_login(responder)
    html = client.get(URL, {**RANGE, "service": week["vpn"].pk}).content.decode()
    assert '<span class="tile-value">2</span><span class="tile-label">opened' in html
    assert '<span class="tile-value">3</span><span class="tile-label">resolved' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-03-07", "end": "2026-03-01"}, "The end date is before the start date."),
        ({"start": "yesterday"}, "Enter a valid date."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "at most two years"),
        ({"team": "999"}, "Select a valid choice."),
    ],
)
def test_bad_filters_explain_themselves_instead_of_failing(client, responder, params, message):
    client.force_login(responder)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_without_filters_the_last_30_days_are_shown(client, responder):
    client.force_login(responder)
    response = client.get(URL)
    assert response.status_code == 200
    assert "No incidents in this range" in response.content.decode()


def test_figures_download_as_csv(client, responder, week, at_now):
    client.force_login(responder)
    response = client.get(URL, {**RANGE, "export": "priority"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="incident-figures-by-priority.csv"' in response["Content-Disposition"]
    rows = {row["key"]: row for row in read_csv(response)}
    assert (rows["P1"]["opened"], rows["P1"]["resolved"]) == ("2", "1")
    assert rows["P2"]["mttr_mean"] == "10800.0"


def test_figures_over_time_download_as_csv(client, responder, week, at_now):
    client.force_login(responder)
    rows = read_csv(client.get(URL, {**RANGE, "period": "day", "export": "period"}))
    assert [(row["key"], row["opened"], row["resolved"]) for row in rows][:3] == [
        ("2026-03-01", "0", "0"),
        ("2026-03-02", "1", "2"),
        ("2026-03-03", "1", "0"),
    ]


def test_the_incident_list_downloads_with_each_incidents_times(client, responder, week, at_now):
    client.force_login(responder)
    rows = {
        row["title"]: row for row in read_csv(client.get(URL, {**RANGE, "export": "incidents"}))
    }
    assert set(rows) == {"A", "B", "C", "D", "F", "G"}  # E cancelled, H after the range
    assert rows["A"]["time_to_acknowledge_s"] == "600.0"
    assert rows["A"]["time_to_resolve_s"] == "10800.0"
    assert rows["B"]["hold_and_reopen_s"] == "50400.0"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, responder, make_incident):
    make_incident(title='=HYPERLINK("http://evil.example")')
    client.force_login(responder)
    rows = read_csv(client.get(URL, {"export": "incidents"}))
    assert rows[0]["title"].startswith("'=")


def test_end_users_are_sent_to_the_login_page(client, reporter):
    client.force_login(reporter)
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_without_a_role_are_refused(client, make_user):
    client.force_login(make_user("intern", staff=True))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "incidents"}).status_code == 403


def test_the_reports_page_takes_a_fixed_number_of_queries(
    client, responder, week, at_now, django_assert_num_queries
):
    client.force_login(responder)
    # 1 session, 2 user, 3-4 user and group permissions; figures: 5 opened by day,
    # 6 resolved by day, 7 by priority, 8 by service, 9 summary, 10 by team; the filter
    # form's choices: 11 teams, 12 services; 13 first pages of paged incidents (none here:
    # the rest of the engagement figures need no query); satisfaction: 14 summary, 15-17
    # per team, service and category, 18 per month; 19 the knowledge articles' views,
    # answers and reports after reading (knowledge.selectors.article_figures). The same
    # with any number of incidents.
    with django_assert_num_queries(13 + 5 + 1):
        assert client.get(URL, RANGE).status_code == 200
