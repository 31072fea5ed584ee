"""The list, the change page and the dashboard run a fixed number of queries however many
rows they show: each is measured with 5 and with 100 rows behind it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.models import Category
from tests.admin.conftest import CHANGELIST, change_url

pytestmark = pytest.mark.django_db
SIZES = [5, 100]

# Every admin page starts with the same four queries:
#   1. the session, 2. the user, 3. the user's own permissions, 4. their groups' permissions.
ADMIN_REQUEST = 4


@pytest.fixture
def client(login, responder):
    return login(responder)


@pytest.fixture
def laptop(db):
    return Category.objects.create(name="Laptop", parent=Category.objects.create(name="Hardware"))


@pytest.mark.parametrize("rows", SIZES)
def test_incident_list_queries_do_not_grow_with_rows(
    client, make_incident, service, laptop, responder, rows, django_assert_max_num_queries
):
    opened = timezone.now() - timedelta(hours=10)
    for n in range(rows):
        make_incident(
            title=f"Incident {n}",
            service=service,
            category=laptop,
            assignee=responder if n % 2 else None,
            major=n % 7 == 0,
            opened_at=opened if n % 3 == 0 else None,  # some breached
        )
    expected = ADMIN_REQUEST + 6
    # 5. teams for the team filter, 6. responders for the assignee filter,
    # 7. services for the service filter, 8. categories (with parents) for their filter,
    # 9. the count of matching incidents, 10. the page: incidents joined with service,
    #    team and assignee, SLA state as annotations.
    client.get(reverse(CHANGELIST))  # warm the per-process caches (content types)
    with django_assert_max_num_queries(expected):
        response = client.get(reverse(CHANGELIST))
    cl = response.context["cl"]
    assert len(cl.result_list) == min(rows, cl.list_per_page)
    assert cl.result_count == rows


@pytest.mark.parametrize("rows", SIZES)
def test_change_page_queries_do_not_grow_with_comments_history_or_links(
    client, make_incident, service, laptop, responder, manager, make_user, rows,
    django_assert_num_queries,
):  # fmt: skip
    incident = make_incident(service=service, category=laptop, assignee=responder)
    for n in range(rows):
        services.incident_comment(
            incident=incident, author=responder, body=f"Note {n}", via=Channel.ADMIN,
            public=n % 2 == 0,
        )  # fmt: skip
        services.incident_update(
            incident=incident, actor=manager, via=Channel.ADMIN, title=f"VPN down ({n})"
        )
        incident.watchers.add(make_user(f"watcher{n}"))
        make_incident(title=f"Child {n}").__class__.objects.filter(title=f"Child {n}").update(
            parent=incident
        )
    services.incident_assign(incident=incident, actor=manager, via=Channel.ADMIN, assignee=manager)
    for n in range(min(rows, 20)):
        services.incident_attach(
            incident=incident, actor=responder, via=Channel.ADMIN,
            files=[SimpleUploadedFile(f"log{n}.txt", b"line\n", "text/plain")],
        )  # fmt: skip
    expected = ADMIN_REQUEST + 11
    # 5. the incident with its reporter, service, category (with its parent), team and
    # assignee joined (the autocomplete widgets and the runbooks show them from there),
    # 6. which optional parts it has rows for: children, merged duplicates, attachments,
    # a checklist, a satisfaction rating (hold reason, resolution code and links are read
    # by id when shown, each only when set), 7. comments (with authors) for their inline,
    # also shown in the timeline, 8. attachments (with uploaders) for theirs, 9. the
    # events, read once for the timeline's SLA events, the SLA ledger and paging's
    # escalation steps, 10. watchers, 11. history (with users), 12. the people named in
    # history diffs (one query per kind of object changed, here only the assignee),
    # 13. which of the other timeline sources have rows for it (alerts, notifications,
    # problems, checklist ticks, pages: none here, so none of them is read), 14. children
    # (first 50; merged duplicates are skipped: there are none) and 15. the message
    # templates offered for a public update (preparedness). No checklist and no rating:
    # skipped (one query each before). The runbooks come from the cache, warmed like the
    # content types.
    client.get(change_url(incident))  # warm the per-process caches (content types)
    with django_assert_num_queries(expected):
        response = client.get(change_url(incident))
    assert response.status_code == 200
    assert f"Note {rows - 1}" in response.content.decode()


@pytest.mark.parametrize("rows", SIZES)
def test_dashboard_queries_do_not_grow_with_incidents(
    client, make_incident, service, responder, rows, django_assert_max_num_queries
):
    opened = timezone.now() - timedelta(hours=10)
    for n in range(rows):
        make_incident(
            title=f"Incident {n}",
            service=service if n % 3 else None,  # no service: routed to the fallback team
            assignee=responder if n % 2 else None,
            major=n % 5 == 0,
            impact="high" if n % 3 == 0 else "medium",
            opened_at=opened if n % 4 == 0 else None,
        )
    expected = ADMIN_REQUEST + 11
    # 5. one aggregate for every count (mine, unassigned in my teams, breached, at risk,
    #    major, fallback team, each priority), 6.-10. the short list of each panel (mine,
    #    unassigned, SLA, major, routed to the fallback team) with team and assignee
    #    joined, 11. the recent actions sidebar, 12.-15. recurrence suggestions (by
    #    service, by title, by alert key, their incidents). The fallback team's id comes
    #    from the routing cache, warmed like the content types.
    client.get(reverse("admin:index"))  # warm the per-process caches (content types)
    with django_assert_max_num_queries(expected):
        response = client.get(reverse("admin:index"))
    dashboard = response.context["dashboard"]
    assert dashboard.panels[0].count == rows // 2
    assert dashboard.panels[4].count == len(range(0, rows, 3))
