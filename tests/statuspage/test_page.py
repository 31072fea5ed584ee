"""The status page and its history as a visitor sees them, and what they cost."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.models import Service
from statuspage import selectors as status_selectors
from statuspage import services as status_services

pytestmark = pytest.mark.django_db
URL = reverse("status")
HISTORY = reverse("status-history")


def test_each_service_shows_90_daily_bars_with_words_and_its_uptime(client, place, service):
    # Yesterday 10:00-12:00 on the page's clock: one day's bar whatever the time now.
    zone = status_selectors.page_zone()
    today = timezone.localtime(timezone.now(), zone).date()
    yesterday = today - timedelta(days=1)
    start = datetime.combine(yesterday, time(10), zone)
    place(start, start + timedelta(hours=2), priority="P1")
    status_services.uptime_refresh(first_day=yesterday, last_day=today)
    page = client.get(URL).content.decode()
    assert page.count('class="uptime__bar ') == 90
    assert page.count("uptime__bar--outage") == 1
    words = f"{yesterday:%-d %b %Y}: 120 minutes of outage, 0 minutes degraded"
    assert f'title="{words}"' in page
    assert f'<span class="visually-hidden">{words}</span>' in page
    assert "no incidents" in page and "% uptime" in page and "Last 90 days" in page


def test_ongoing_public_incidents_show_their_public_title_and_official_updates_only(
    client, make_incident, service, publish, reporter
):
    incident = make_incident(title="VPN slow from home", service=service)
    publish(incident, "We are replacing a gateway.")
    services.incident_comment(
        incident=incident, author=reporter, body="my phone 555-0199", public=True, via="portal"
    )
    services.incident_comment(
        incident=incident, author=None, body="root cause: firmware", public=False, via="admin"
    )
    page = client.get(URL).content.decode()
    assert "Ongoing incidents" in page and "VPN slow from home" in page
    assert "We are replacing a gateway." in page
    assert "555-0199" not in page and "firmware" not in page and incident.number not in page


def test_confidential_incidents_never_appear_anywhere_public(
    client, make_incident, service, publish, manager
):
    secret = make_incident(title="Payroll data leak", service=service, confidential=True)
    services.incident_declare_major(incident=secret, actor=manager, via=Channel.ADMIN)
    publish(secret, "Contained the leak")
    for path in (
        URL,
        HISTORY,
        reverse("status-feed-atom"),
        reverse("status-feed-rss"),
        reverse("status-summary-json"),
    ):
        body = client.get(path).content.decode()
        assert "Payroll" not in body and "leak" not in body, path
    assert "Outage" not in client.get(URL).content.decode()


def test_public_maintenance_shows_as_upcoming_in_progress_and_completed(
    client, make_window, service
):
    now = timezone.now()
    make_window(now + timedelta(days=2), now + timedelta(days=2, hours=1), title="Upgrade A")
    make_window(now - timedelta(minutes=5), now + timedelta(hours=1), title="Upgrade B")
    make_window(now - timedelta(hours=3), now - timedelta(hours=2), title="Upgrade C")
    make_window(now - timedelta(minutes=5), now + timedelta(hours=1), public=False, title="Z")
    page = client.get(URL).content.decode()
    upcoming = page.index("Scheduled maintenance")
    running = page.index("Maintenance in progress")
    done = page.index("Completed maintenance")
    assert page.index("Upgrade B") > running and page.index("Upgrade A") > upcoming
    assert page.index("Upgrade C") > done
    assert "Under maintenance" in page  # VPN's state while B runs
    assert "CHG-42" not in page and ">Z<" not in page


def test_a_maintenance_window_saved_shows_at_once(
    client, make_window, django_capture_on_commit_callbacks
):
    assert "Scheduled maintenance" not in client.get(URL).content.decode()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_window(now + timedelta(days=1), now + timedelta(days=1, hours=1))
    assert "Router firmware upgrade" in client.get(URL).content.decode()


def _busy(count, team, make_incident, publish, manager):
    for n in range(count):
        service = Service.objects.create(name=f"Service {n}", slug=f"s{n}", owner_team=team)
        incident = make_incident(title=f"Trouble {n}", service=service)
        if n % 2:
            services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
        publish(incident, f"Update {n}")
    status_services.uptime_refresh(
        first_day=timezone.localdate() - timedelta(days=89), last_day=timezone.localdate()
    )


@pytest.mark.parametrize("count", [2, 6])
def test_the_status_page_costs_six_queries_however_many_incidents(
    client, count, team, make_incident, publish, manager, django_assert_num_queries
):
    _busy(count, team, make_incident, publish, manager)
    cache.clear()
    # 1 services with their states (EXISTS probes), 2 the most severe ongoing incidents,
    # 3 how many there are in all (capped), 4 their official updates, 5 public
    # maintenance, 6 the uptime rollup (90 rows per service)
    with django_assert_num_queries(6):
        page = client.get(URL).content.decode()
    assert page.count("Update ") == count
    with django_assert_num_queries(0):  # then the shared cache answers
        client.get(URL)


@pytest.mark.parametrize("count", [2, 6])
def test_the_history_page_costs_three_queries_however_many_incidents(
    client, count, team, make_incident, publish, manager, django_assert_num_queries
):
    _busy(count, team, make_incident, publish, manager)
    cache.clear()
    # 1 the month's public incidents, 2 their official updates, 3 the month's maintenance
    with django_assert_num_queries(3):
        page = client.get(HISTORY).content.decode()
    assert page.count("Update ") == count


def test_history_lists_past_incidents_by_month_with_their_updates(client, place, publish, service):
    from tests.statuspage.conftest import at

    old = place(at("10-14 09:00"), at("10-14 11:00"), title="Mail delays in October")
    publish(old, "Queues drained.")
    place(at("11-02 09:00"), at("11-02 10:00"), title="VPN in November")
    october = client.get(HISTORY, {"month": "2026-10"}).content.decode()
    assert "Mail delays in October" in october and "Queues drained." in october
    assert "VPN in November" not in october
    assert "Incidents and maintenance in October 2026" in october
    assert '?month=2026-09" rel="prev"' in october and '?month=2026-11" rel="next"' in october


@pytest.mark.parametrize("month", ["2026-13", "abc", "1999-01", "2999-01", "2026-1-1"])
def test_a_bad_month_is_a_clear_400(client, month):
    response = client.get(HISTORY, {"month": month})
    assert response.status_code == 400
    assert "Choose a month as YYYY-MM" in response.content.decode()


def test_this_month_has_no_next_link(client):
    page = client.get(HISTORY).content.decode()
    assert 'rel="next"' not in page
    assert date.today().strftime("%B") in page


def test_a_long_backlog_shows_its_most_severe_incidents_and_says_how_many_there_are(
    client, place, service, monkeypatch
):
    # The page everybody reloads during an outage does not grow with the backlog.
    from statuspage import selectors

    monkeypatch.setattr(selectors, "ONGOING_SHOWN", 3)
    now = timezone.now()
    for n, priority in enumerate(["P4", "P2", "P3", "P2", "P4"]):
        place(now - timedelta(hours=n), title=f"Printer {n} {priority}", priority=priority)
    place(now - timedelta(days=2), title="Checkout down", priority="P3", major=True)
    page = client.get(URL).content.decode()
    shown = [t for t in ("Checkout down", "Printer 1 P2", "Printer 3 P2", "Printer 2 P3")
             if t in page]  # fmt: skip
    assert shown == ["Checkout down", "Printer 1 P2", "Printer 3 P2"]
    assert page.index("Checkout down") < page.index("Printer 1 P2") < page.index("Printer 3 P2")
    assert "The 3 most severe of 6 ongoing incidents are shown" in page
    summary = client.get(reverse("status-summary-json")).json()
    assert len(summary["incidents"]) == 3


def test_a_change_made_by_another_process_shows_within_two_seconds(
    client, make_incident, service, monkeypatch
):
    """The worker that handles an incident's event moves the shared generation on; a web
    process that kept the page serves it at most LOCAL_SECONDS longer, then reads again."""
    from statuspage import cache as status_cache

    clock = [1000.0]
    monkeypatch.setattr(status_cache.time, "monotonic", lambda: clock[0])
    assert "Printer fire" not in client.get(URL).content.decode()
    make_incident(title="Printer fire", service=service)  # its event is not handled here
    cache.incr(status_cache.GENERATION_KEY)  # as the worker's status_changed does
    clock[0] += status_cache.LOCAL_SECONDS - 0.1
    assert "Printer fire" not in client.get(URL).content.decode()
    clock[0] += 0.2
    assert "Printer fire" in client.get(URL).content.decode()


def test_a_change_made_in_this_process_shows_at_once(client, make_incident, service):
    from statuspage.cache import status_changed

    assert "Printer fire" not in client.get(URL).content.decode()
    make_incident(title="Printer fire", service=service)
    status_changed()  # the incident's event handled in this process
    assert "Printer fire" in client.get(URL).content.decode()
