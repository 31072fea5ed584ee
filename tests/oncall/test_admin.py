"""The schedule admin (managers edit, responders look), its two-week preview and the
"Who is on call now" page of the workspace."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import Team
from oncall import services
from oncall.models import CalendarFeed, Schedule
from oncall.services import LayerSpec
from tests.oncall.conftest import berlin, weekly

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)  # Thursday; ben's week, before the change
NOW_PAGE = reverse("admin:oncall_now")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_form(team, **fields) -> dict:
    form = {
        "name": "Network primary",
        "team": str(team.pk),
        "time_zone": "Europe/Berlin",
        "layers-TOTAL_FORMS": "1",
        "layers-INITIAL_FORMS": "0",
        "layers-MIN_NUM_FORMS": "1",
        "layers-MAX_NUM_FORMS": "1000",
        "layers-0-name": "Weekly",
        "layers-0-position": "0",
        "layers-0-start_0": "2026-03-16",
        "layers-0-start_1": "09:00",
        "layers-0-shift_length": "7",
        "layers-0-shift_unit": "days",
        "layers-0-handoff_time": "09:00",
        "layers-0-end_0": "",
        "layers-0-end_1": "",
        "layers-0-participants": "manager\nagent\n",
        "overrides-TOTAL_FORMS": "1",
        "overrides-INITIAL_FORMS": "0",
        "overrides-MIN_NUM_FORMS": "0",
        "overrides-MAX_NUM_FORMS": "1000",
        "overrides-0-user": "agent",
        "overrides-0-start_0": "2026-03-30",
        "overrides-0-start_1": "08:00",
        "overrides-0-end_0": "2026-03-30",
        "overrides-0-end_1": "12:00",
        "overrides-0-reason": "Swap",
    }
    form.update(fields)
    return form


def test_a_manager_adds_a_schedule_with_ordered_participants_and_sees_the_preview(
    manager, responder, team
):
    client = login(manager)
    response = client.post(reverse("admin:oncall_schedule_add"), add_form(team))
    assert response.status_code == 302, response.context["errors"]
    schedule = Schedule.objects.get()
    layer = schedule.layers.get()
    assert [m.user.username for m in layer.members.order_by("position")] == ["manager", "agent"]
    assert layer.start == berlin("2026-03-16 09:00")  # typed in the schedule's zone
    assert schedule.overrides.get().start == berlin("2026-03-30 08:00")

    page = client.get(reverse("admin:oncall_schedule_change", args=[schedule.pk]))
    html = page.content.decode()
    assert "From (Europe/Berlin)" in html
    # manager's week began Monday 23 March 09:00 (CET); the override, then agent's week.
    assert "<td>agent</td><td>Mon 16 Mar 2026, 09:00</td>" not in html  # before the window
    assert "<td>agent</td><td>Mon 23 Mar 2026, 09:00</td><td>Mon 30 Mar 2026, 08:00</td>" in html
    assert "<td>agent</td><td>Mon 30 Mar 2026, 08:00</td><td>Mon 30 Mar 2026, 12:00</td>" in html
    assert "<td>override</td>" in html
    assert "<td>manager</td><td>Mon 30 Mar 2026, 12:00</td><td>Mon 06 Apr 2026, 09:00</td>" in html
    assert schedule.history.count() == 1


def test_an_unknown_username_is_a_form_error_and_nothing_is_saved(manager, team):
    form = add_form(team, **{"layers-0-participants": "manager\nghost\n"})
    response = login(manager).post(reverse("admin:oncall_schedule_add"), form)
    assert response.status_code == 200
    assert "No such user: ghost." in response.content.decode()
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "is not a time zone"),
        ({"layers-0-shift_length": "0"}, "greater than or equal to 1"),
        ({"layers-0-shift_length": "40"}, "at most 31 days"),
        ({"layers-0-end_0": "2026-03-01", "layers-0-end_1": "00:00"}, "end must be after"),
        ({"layers-0-participants": "  \n"}, "This field is required"),
        ({"overrides-0-user": "ghost"}, "No such user: ghost."),
        ({"overrides-0-end_1": "07:00"}, "end must be after"),
    ],
)
def test_bad_admin_input_is_a_form_error(manager, team, fields, message):
    response = login(manager).post(reverse("admin:oncall_schedule_add"), add_form(team, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Schedule.objects.exists()


def test_a_manager_reorders_participants_on_the_change_page(manager, responder, team):
    client = login(manager)
    client.post(reverse("admin:oncall_schedule_add"), add_form(team))
    schedule = Schedule.objects.get()
    layer = schedule.layers.get()
    url = reverse("admin:oncall_schedule_change", args=[schedule.pk])
    form = client.get(url).context["inline_admin_formsets"][0].formset.forms[0]
    assert form.initial["participants"] == "manager\nagent"
    change = add_form(
        team,
        **{
            "layers-INITIAL_FORMS": "1",
            "layers-0-id": str(layer.pk),
            "layers-0-schedule": str(schedule.pk),
            "layers-0-participants": "agent\nmanager",
            "overrides-TOTAL_FORMS": "0",
        },
    )
    response = client.post(url, change)
    assert response.status_code == 302, response.context["errors"]
    assert [m.user.username for m in layer.members.order_by("position")] == ["agent", "manager"]


def test_a_responder_views_schedules_but_cannot_add_or_change_them(responder, dst_schedule):
    client = login(responder)
    assert client.get(reverse("admin:oncall_schedule_changelist")).status_code == 200
    assert client.get(reverse("admin:oncall_schedule_add")).status_code == 403
    url = reverse("admin:oncall_schedule_change", args=[dst_schedule.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Save" not in page.content.decode()
    assert client.post(url, {}).status_code == 403


def test_the_rotate_action_gives_a_new_calendar_link(manager, dst_schedule):
    old = dst_schedule.calendar_token
    response = login(manager).post(
        reverse("admin:oncall_schedule_changelist"),
        {"action": "rotate_calendar_link", "_selected_action": [dst_schedule.pk]},
    )
    assert response.status_code == 302
    dst_schedule.refresh_from_db()
    assert dst_schedule.calendar_token != old


def test_who_is_on_call_now_lists_the_person_until_when_and_who_is_next(responder, dst_schedule):
    client = login(responder)
    assert "Who is on call now" in client.get(reverse("admin:index")).content.decode()
    html = client.get(NOW_PAGE).content.decode()
    assert "Network primary" in html
    assert "<strong>Ben</strong>" in html  # on call now (display name), username beside
    assert "Fri 27 Mar, 02:30" in html  # until the daily layer takes over, Berlin time
    assert "Dan <span" in html  # next
    feed = CalendarFeed.objects.get(user=responder)
    assert reverse("oncall:user-calendar", args=[feed.token]) in html


def test_a_staff_user_rotates_their_personal_calendar_link(responder):
    client = login(responder)
    client.get(NOW_PAGE)
    old = CalendarFeed.objects.get(user=responder).token
    assert client.post(NOW_PAGE).status_code == 302
    assert CalendarFeed.objects.get(user=responder).token != old


def test_staff_without_a_role_and_end_users_do_not_get_the_page(make_user, reporter):
    clerk = make_user("clerk", staff=True)
    assert login(clerk).get(NOW_PAGE).status_code == 403
    assert login(reporter).get(NOW_PAGE).status_code == 302  # to the admin login


def test_the_on_call_now_page_reads_a_fixed_number_of_queries(
    responder, people, make_schedule, django_assert_num_queries
):
    p = people
    for number in range(6):
        team = Team.objects.create(name=f"Team {number % 3}{number}", slug=f"team-{number}")
        schedule = make_schedule(
            f"Schedule {number}",
            on_team=team,
            layers=[
                weekly([p["ann"], p["ben"], p["cat"]]),
                LayerSpec(
                    start=berlin("2026-03-20 18:00"),
                    shift_length=12,
                    shift_unit="hours",
                    participants=[p["dan"], p["eve"]],
                    end=berlin("2026-03-27 18:00"),
                ),
            ],
        )
        services.override_create(
            schedule=schedule,
            user=p["hal"],
            start=berlin("2026-03-26 12:00"),
            end=berlin("2026-03-26 14:00"),
            actor=responder,
        )
    client = login(responder)
    client.get(NOW_PAGE)  # the personal feed row now exists
    # Whatever the number of schedules:
    # 1 session, 2 user, 3-4 permissions (user's, groups'), 5 the personal feed,
    # 6 schedules with their teams, 7 layers, 8 participants with users, 9 overrides with users
    with django_assert_num_queries(9):
        response = client.get(NOW_PAGE)
    assert response.content.decode().count("<strong>Hal</strong>") == 6
