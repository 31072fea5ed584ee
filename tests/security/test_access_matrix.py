"""Who may open what: every persona against every route that takes an incident, comment,
attachment, review or problem id (portal, API and admin), read from the URLconf.

The rules: someone who may not see an object gets 404, the same answer as for an id that
does not exist (a 403 would confirm it exists); an anonymous visitor is sent to sign in
(pages) or gets 401 (API); an API token opens the API only, never a page; `is_staff`
without a role opens nothing. Teams do not restrict responders: every responder sees and
works every incident (`agent2` is in no team and still does), except a confidential one:
that only its reporter, its assignee, the security team and incident managers see.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from incidents.models import Incident
from tests.security.objects import MISSING_ID, instance_of
from tests.security.routes import all_routes, routes_with_params

pytestmark = pytest.mark.django_db

STAFF = {"agent", "agent2", "manager"}
SEE = {"alice"} | STAFF  # who may see alice's incident
SEE_SECRET = {"alice", "manager"}  # who may see alice's confidential incident
MISSING_NUMBER = "INC9999999"


@dataclass(frozen=True)
class Case:
    """One request to one route; `allowed` get through, `refused` personas may see the
    incident but not do this (403), everyone else gets 404."""

    route: str
    method: str
    values: str  # which ids: "incident", "public_file", "internal_file", "other_file",
    # "confidential" (alice's confidential incident), "confidential_file" (its file)
    allowed: frozenset
    refused: frozenset = frozenset()
    data: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.route} ({self.values})"


def case(route, method, values, allowed, refused=(), data=None) -> Case:
    return Case(route, method, values, frozenset(allowed), frozenset(refused), data)


TRANSITIONS = ["acknowledge", "assign", "start", "hold", "resume", "resolve", "cancel"]
PORTAL_CASES = [
    case("portal:incident-detail", "get", "incident", SEE),
    case("portal:incident-detail", "post", "incident", SEE, data={"body": "Any news?"}),
    case("portal:report-done", "get", "incident", SEE),
    case("portal:attachment-download", "get", "public_file", SEE),
    case("portal:attachment-download", "get", "internal_file", STAFF),
    case("portal:attachment-download", "get", "other_file", set()),  # bob's file, alice's path
    case("portal:incident-close", "post", "incident", {"alice"}),
    case("portal:incident-reopen", "post", "incident", {"alice"}),
    case("portal:incident-follow", "post", "incident", SEE),
    case("portal:incident-unfollow", "post", "incident", SEE),
    case("portal:incident-detail", "get", "confidential", SEE_SECRET),
    case("portal:incident-detail", "post", "confidential", SEE_SECRET, data={"body": "News?"}),
    case("portal:report-done", "get", "confidential", SEE_SECRET),
    case("portal:attachment-download", "get", "confidential_file", SEE_SECRET),
    case("portal:incident-close", "post", "confidential", {"alice"}),
    case("portal:incident-reopen", "post", "confidential", {"alice"}),
    case("portal:incident-follow", "post", "confidential", SEE_SECRET),
    case("portal:incident-unfollow", "post", "confidential", SEE_SECRET),
]
API_CASES = [
    case("api:incident-detail", "get", "incident", SEE),
    case("api:incident-detail", "patch", "incident", STAFF, {"alice"}, {"title": "x"}),
    case("api:incident-comments", "get", "incident", SEE),
    case("api:incident-comments", "post", "incident", SEE, data={"body": "Hi"}),
    case("api:incident-history", "get", "incident", SEE),
    case("api:incident-attachments", "get", "incident", SEE),
    case("api:incident-attachments", "post", "incident", SEE),
    case("api:incident-attachment-download", "get", "public_file", SEE),
    case("api:incident-attachment-download", "get", "internal_file", STAFF),
    case("api:incident-attachment-download", "get", "other_file", set()),
    case("api:incident-close", "post", "incident", SEE),
    case("api:incident-reopen", "post", "incident", SEE),
    *[case(f"api:incident-{verb}", "post", "incident", STAFF, {"alice"}) for verb in TRANSITIONS],
    case("api:incident-link-child", "post", "incident", STAFF, {"alice"}),
    case("api:incident-detail", "get", "confidential", SEE_SECRET),
    case("api:incident-detail", "patch", "confidential", {"manager"}, {"alice"}, {"title": "x"}),
    case("api:incident-comments", "get", "confidential", SEE_SECRET),
    case("api:incident-comments", "post", "confidential", SEE_SECRET, data={"body": "Hi"}),
    case("api:incident-history", "get", "confidential", SEE_SECRET),
    case("api:incident-attachments", "get", "confidential", SEE_SECRET),
    case("api:incident-attachments", "post", "confidential", SEE_SECRET),
    case("api:incident-attachment-download", "get", "confidential_file", SEE_SECRET),
    case("api:incident-close", "post", "confidential", SEE_SECRET),
    case("api:incident-reopen", "post", "confidential", SEE_SECRET),
    *[
        case(f"api:incident-{verb}", "post", "confidential", {"manager"}, {"alice"})
        for verb in TRANSITIONS
    ],
]
# Routes with a parameter that is not the id of an incident, comment, attachment, review
# or problem, and where their access rule is tested.
NOT_OBJECT_ROUTES = {
    "password_reset_confirm": "a signed one-time token (Django's; tests/portal/test_accounts)",
    "notifications:service-subscription": "a service slug (public catalogue); below",
    "api:webhook-detail": "managers' configuration; test_webhooks_are_for_managers_only",
    "api:webhook-deliveries": "managers' configuration; test_webhooks_are_for_managers_only",
    "api:schedule-detail": "on-call schedules; tests/oncall/test_api.py (staff read)",
    "api:schedule-overrides": "on-call schedules; tests/oncall/test_api.py (managers write)",
    "oncall:schedule-calendar": "a secret calendar token; tests/oncall/test_calendars.py",
    "oncall:user-calendar": "a secret calendar token; tests/oncall/test_calendars.py",
    "api:team-channel-detail": "managers' configuration; tests/messaging/test_api.py",
    "api:contact-method-detail": "a person's own rows; tests/messaging/test_api.py",
    "api:escalation-policy-detail": "managers write, staff read; tests/paging/test_api.py",
    "paging:acknowledge": "a signed single-use page token; tests/paging/test_acknowledge_link.py",
    "admin:app_list": "an app label; test_staff_without_a_role_gets_nothing_from_an_app_index",
    "admin/(?P<url>.*)$": "Django's catch-all: redirects to the login or answers 404",
    "status-confirm": "a signed confirmation code; tests/statuspage/test_subscriptions.py",
    "status-unsubscribe": "a secret subscriber token; tests/statuspage/test_subscriptions.py",
    "api:drill-detail": "managers start, staff read, end users none; tests/drills/test_api.py",
    "api:drill-end": "managers only; tests/drills/test_api.py",
    "api:incident-tasks": "the incident's visibility; tests/preparedness/test_api.py (404s)",
    "knowledge:article": "an article slug; tests/knowledge/test_visibility.py",
    "knowledge:feedback": "an article slug, public articles only; tests/knowledge/test_feedback.py",
    "satisfaction:rate-link": "a signed rating link; tests/satisfaction/test_links.py",
    "satisfaction:rate-portal": "the reporter only; tests/satisfaction/test_portal.py",
}


def admin_object_routes():
    return [r for r in routes_with_params() if r.model_admin or r.name == "admin:view_on_site"]


def test_every_route_with_an_id_is_covered_by_these_tests():
    covered = {c.route for c in PORTAL_CASES + API_CASES} | set(NOT_OBJECT_ROUTES)
    covered |= {route.name for route in admin_object_routes()}
    discovered = {route.name for route in routes_with_params()}
    assert discovered - covered == set(), "routes with an id that no access test covers"
    assert covered - discovered == set(), "cases naming routes that no longer exist"


def _target(world, values: str):
    """The incident a case points at."""
    return world.extra["confidential"] if values.startswith("confidential") else world.incident


def _path(route_name: str, values: str, world, number=None) -> str:
    route = next(r for r in routes_with_params() if r.name == route_name)
    file = {
        "public_file": world.public_file,
        "internal_file": world.internal_file,
        "other_file": world.other_file,
        "confidential_file": world.extra["confidential_file"],
    }.get(values)
    fill = {"number": number or _target(world, values).number}
    if file is not None:
        fill["pk"] = fill["attachment_id"] = file.pk
    return route.fill(**fill)


def _footprint(incident) -> tuple:
    incident = Incident.objects.get(pk=incident.pk)
    return (
        incident.version,
        incident.status,
        incident.comments.count(),
        incident.attachments.count(),
        incident.watchers.count(),
    )


def _request(client, method, path, data, *, api):
    if method == "get":
        return client.get(path)
    if api:
        return client.generic(method.upper(), path, data=_json(data), content_type=_ct(path))
    return getattr(client, method)(path, data or {})


def _json(data):
    import json

    return json.dumps(data or {})


def _ct(path):
    return (
        "multipart/form-data; boundary=x" if path.endswith("/attachments/") else "application/json"
    )


def _assert_refused(response, persona, case_, *, api, missing):
    if persona == "anonymous":
        if api:
            assert response.status_code == 401, response.content
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
    elif persona in case_.refused:
        assert response.status_code == 403, (persona, response.content)
    else:
        assert response.status_code == 404, (persona, response.content)
        # The same answer as for an id that does not exist.
        assert missing.status_code == 404, (persona, missing.content)


def _personas(case_) -> list[str]:
    """Refused personas first: what allowed ones do (close, acknowledge...) must not change
    what the others are refused."""
    everyone = ["anonymous", "alice", "bob", *sorted(STAFF), "clerk"]
    return sorted(everyone, key=lambda persona: persona in case_.allowed)


@pytest.mark.parametrize("case_", PORTAL_CASES, ids=lambda c: c.id)
def test_portal_pages_of_an_incident_answer_only_those_who_may_see_it(case_, world, browser_for):
    path = _path(case_.route, case_.values, world)
    missing_path = _path(case_.route, case_.values, world, number=MISSING_NUMBER)
    target = _target(world, case_.values)
    for persona in _personas(case_):
        client, before = browser_for(persona), _footprint(target)
        response = _request(client, case_.method, path, case_.data, api=False)
        if persona in case_.allowed:
            assert response.status_code in (200, 302), (persona, response.status_code)
            assert not response.get("Location", "").startswith("/accounts/login/")
            continue
        missing = _request(client, case_.method, missing_path, case_.data, api=False)
        _assert_refused(response, persona, case_, api=False, missing=missing)
        assert _footprint(target) == before, persona


@pytest.mark.parametrize("case_", API_CASES, ids=lambda c: c.id)
def test_api_routes_of_an_incident_answer_only_tokens_of_those_who_may_see_it(
    case_, world, api_for
):
    path = _path(case_.route, case_.values, world)
    missing_path = _path(case_.route, case_.values, world, number=MISSING_NUMBER)
    target = _target(world, case_.values)
    for persona in _personas(case_):
        client, before = api_for(persona), _footprint(target)
        response = _request(client, case_.method, path, case_.data, api=True)
        if persona in case_.allowed:
            assert response.status_code not in (401, 403, 404), (persona, response.content)
            assert response.status_code < 500
            continue
        missing = _request(client, case_.method, missing_path, case_.data, api=True)
        _assert_refused(response, persona, case_, api=True, missing=missing)
        assert _footprint(target) == before, persona


@pytest.mark.parametrize("persona", ["bob", "clerk"])
def test_an_api_session_cookie_of_a_stranger_sees_no_incident_either(persona, world, browser_for):
    client = browser_for(persona)
    assert client.get(f"/api/v1/incidents/{world.incident.number}/").status_code == 404
    listed = client.get("/api/v1/incidents/").json()["results"]
    assert world.incident.number not in {row["number"] for row in listed}


def test_a_stranger_cannot_reach_an_incident_through_lists_or_search(world, api_for, browser_for):
    numbers = {row["number"] for row in api_for("bob").get("/api/v1/incidents/").json()["results"]}
    assert numbers == {world.other_incident.number}
    page = browser_for("bob").get("/portal/incidents/").content.decode()
    assert world.incident.number not in page and world.incident.title not in page
    search = api_for("bob").get("/api/v1/incidents/", {"search": world.incident.number}).json()
    assert search["results"] == []


def test_an_api_token_opens_no_page(world, api_for):
    for persona in ("alice", "manager"):
        token = api_for(persona).token
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        from django.test import Client

        client = Client()
        portal = client.get(f"/portal/incidents/{world.incident.number}/", **headers)
        assert portal.status_code == 302 and portal["Location"].startswith("/accounts/login/")
        admin = client.get(f"/admin/incidents/incident/{world.incident.pk}/change/", **headers)
        assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")


# --- The admin: every object page of every model it shows ----------------------------------


def _admin_values(route, world) -> tuple[dict, dict]:
    """Ids for an admin object route: a real object's, and a missing object's."""
    if route.name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Incident).pk
        real = {"content_type_id": content_type, "object_id": world.incident.pk}
        return real, {**real, "object_id": MISSING_ID}
    obj = instance_of(route.model_admin.model, world)
    real = {"object_id": obj.pk, "id": obj.pk, "_1": obj.pk, "verb": "acknowledge"}
    real["attachment_id"] = world.public_file.pk
    real["task_id"] = MISSING_ID  # a checklist task: the incident's visibility decides first
    record = obj.history.first() if hasattr(obj, "history") else None
    real["_2"] = record.history_id if record is not None else MISSING_ID
    return real, {**real, "object_id": MISSING_ID, "id": MISSING_ID, "_1": MISSING_ID}


def _may_view(route, user) -> bool:
    if route.model_admin is None:
        return user.has_perm("incidents.view_incident")
    request = RequestFactory().get("/")
    request.user = user
    return route.model_admin.has_view_or_change_permission(request)


ADMIN_ROUTES = admin_object_routes()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.name)
def test_admin_object_pages_open_only_to_roles_that_may_view_the_model(
    route, method, world, browser_for, users
):
    real, missing = _admin_values(route, world)
    path, missing_path = route.fill(**real), route.fill(**missing)
    for persona in ("anonymous", "alice", "bob"):
        response = getattr(browser_for(persona), method)(path)
        assert response.status_code == 302, (persona, response.status_code)
        assert response["Location"].startswith("/admin/login/?next=")
    for persona in ("clerk", *sorted(STAFF)):
        client = browser_for(persona)
        if route.name == route.pattern:  # the old change URL: a redirect, whatever the id
            for url in (path, missing_path):
                assert client.get(url)["Location"] == url + "change/"
            continue
        if _may_view(route, users[persona]):
            if method == "get":
                assert client.get(path).status_code < 500
            continue
        before = _footprint(world.incident)
        response, gone = getattr(client, method)(path), getattr(client, method)(missing_path)
        assert (persona, response.status_code) == (persona, 404)
        assert gone.status_code == 404
        assert _footprint(world.incident) == before


@pytest.mark.parametrize("persona", sorted(STAFF))
def test_every_responder_and_manager_opens_the_incident_its_review_and_its_problem(
    persona, world, browser_for
):
    client = browser_for(persona)
    for obj in (world.incident, world.review, world.action_item, world.problem):
        url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
        assert client.get(url).status_code == 200, url


def test_staff_without_a_role_gets_nothing_from_an_app_index(browser_for):
    client = browser_for("clerk")
    for app in ("incidents", "reviews", "problems", "integrations", "notifications", "api"):
        assert client.get(f"/admin/{app}/").status_code == 404
    dashboard = client.get("/admin/").content.decode()
    assert "INC" not in dashboard


def test_webhooks_are_for_managers_only(world, api_for):
    from api.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(name="Chat", url="https://hooks.example.com/x")
    for suffix in ("", "deliveries/"):
        real = f"/api/v1/webhooks/{endpoint.pk}/{suffix}"
        missing = f"/api/v1/webhooks/{MISSING_ID}/{suffix}"
        assert api_for("anonymous").get(real).status_code == 401
        for persona in ("alice", "bob", "agent", "clerk"):
            client = api_for(persona)
            # A role gate before any lookup: the same 403 whether the webhook exists or not.
            assert client.get(real).status_code == client.get(missing).status_code == 403
        assert api_for("manager").get(real).status_code == 200


def test_service_subscriptions_need_a_sign_in(world, browser_for):
    slug = world.incident.service.slug
    response = browser_for("anonymous").post(f"/notifications/services/{slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Pages of the admin that any staff account has, whatever its role: its own account.
ACCOUNT_PAGES = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
}


@pytest.mark.parametrize(
    "route",
    [r for r in all_routes() if r.is_admin and not r.params],
    ids=lambda route: route.name,
)
def test_staff_without_a_role_opens_no_admin_page_but_their_own_account(route, world, browser_for):
    client = browser_for("clerk")
    response = client.get(route.fill())
    if route.name in ACCOUNT_PAGES:
        assert response.status_code in (200, 302, 405)
        return
    if response.status_code == 405:  # a POST-only page: try it the way it is used
        response = client.post(route.fill())
    assert response.status_code in (403, 404), response.status_code


def test_staff_without_a_role_gets_no_incident_data_from_the_api(world, api_for):
    client = api_for("clerk")
    assert client.get("/api/v1/incidents/").json()["results"] == []
    assert client.get("/api/v1/metrics/").status_code == 403
    assert client.get("/api/v1/webhooks/").status_code == 403


def test_a_confidential_incident_is_absent_from_every_list_for_those_who_may_not_see_it(
    world, browser_for, api_for
):
    secret = world.extra["confidential"]
    for persona in ("bob", "agent", "agent2", "clerk"):
        api = api_for(persona)
        listed = api.get("/api/v1/incidents/", {"search": secret.number}).json()["results"]
        assert listed == [], persona
        browser = browser_for(persona)
        pages = ["/portal/", "/portal/incidents/", "/status/", "/admin/"]
        pages += ["/admin/incidents/incident/", f"/admin/incidents/incident/?q={secret.number}"]
        for page in pages:
            assert "Phished password" not in browser.get(page).content.decode(), (persona, page)
        response = browser.get(secret.get_admin_url())
        assert response.status_code in (302, 404), persona  # as for a missing id
    listed = api_for("manager").get("/api/v1/incidents/", {"search": secret.number})
    assert [row["number"] for row in listed.json()["results"]] == [secret.number]
    assert browser_for("manager").get(secret.get_admin_url()).status_code == 200
