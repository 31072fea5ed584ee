"""CSRF and safe methods, for every route in the URLconf: a state-changing request without a
CSRF token is refused everywhere except on token-authenticated API and webhook views (where
a browser's cookies grant nothing); no GET changes anything."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import resolve
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from api.authentication import BearerTokenAuthentication
from tests.security.routes import all_routes

pytestmark = pytest.mark.django_db

# Placeholder ids that satisfy every route's converters (the CSRF check runs before the
# view looks anything up).
PLACEHOLDERS = {
    "number": "INC0001001",
    "pk": 1,
    "attachment_id": 1,
    "task_id": 1,
    "object_id": 1,
    "id": 1,
    "_1": 1,
    "_2": 1,
    "verb": "acknowledge",
    "content_type_id": 1,
    "slug": "vpn",
    "uidb64": "MQ",
    "token": "set-password",
    "app_label": "incidents",
    "url": "nowhere/",
    "code": "not-signed",
}
# The only views a request may change things through without a CSRF token: they
# authenticate by a bearer token in a header, which a browser never sends by itself.
INTEGRATION_VIEWS = {"integrations:alertmanager", "integrations:heartbeat", "integrations:events"}
# RFC 8058 one-click unsubscribe: a mail client POSTs without cookies; the secret token in
# the address is the credential, and all it can do is remove that one subscription.
ONE_CLICK_VIEWS = {"status-unsubscribe"}


def _drf_view(route):
    view_class = getattr(route.callback, "cls", None)
    return view_class if view_class and issubclass(view_class, APIView) else None


def _path(route) -> str:
    path = route.fill(**PLACEHOLDERS)
    assert resolve(path).func == route.callback, f"{route.name}: {path} resolves elsewhere"
    return path


def test_only_token_authenticated_api_and_webhook_views_are_csrf_exempt():
    exempt = {route.name for route in all_routes() if route.csrf_exempt}
    drf = {route.name for route in all_routes() if _drf_view(route)}
    assert exempt == drf | INTEGRATION_VIEWS | ONE_CLICK_VIEWS
    for route in all_routes():
        view_class = _drf_view(route)
        if view_class is None:
            continue
        # DRF marks its views exempt and enforces CSRF itself for session users; any other
        # way in must be the bearer token.
        classes = set(getattr(route.callback, "initkwargs", {}).get("authentication_classes", ()))
        classes |= set(view_class.authentication_classes)
        assert classes <= {BearerTokenAuthentication, SessionAuthentication}, route.name


@pytest.mark.parametrize(
    "route", [r for r in all_routes() if not r.csrf_exempt], ids=lambda route: route.name
)
def test_every_other_view_refuses_a_post_without_a_csrf_token(route, superuser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    for method in ("post", "delete"):
        response = getattr(client, method)(_path(route))
        assert response.status_code == 403, (method, response.status_code)
        assert b"CSRF" in response.content


def test_the_api_refuses_a_session_cookie_without_a_csrf_token(world, browser_for):
    client = browser_for("agent", enforce_csrf_checks=True)
    url = f"/api/v1/incidents/{world.incident.number}/acknowledge/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    created = client.post("/api/v1/incidents/", {"title": "x"}, content_type="application/json")
    assert created.status_code == 403
    assert (
        world.incident.events.count()
        == type(world.incident).objects.get(pk=world.incident.pk).events.count()
    )
    assert not world.incident.acknowledged_at


def test_the_api_accepts_a_bearer_token_without_a_csrf_token(world, api_for):
    client = api_for("agent")
    client.enforce_csrf_checks = True
    url = f"/api/v1/incidents/{world.incident.number}/acknowledge/"
    assert client.post(url, {}, format="json").status_code == 200


def test_a_signed_in_browser_cannot_post_to_the_intake_endpoints(browser_for):
    client = browser_for("manager")
    for url in ("/api/v1/events/", "/api/v1/integrations/alertmanager/"):
        response = client.post(url, {}, content_type="application/json")
        assert response.status_code in (400, 401), url  # no token: the session counts for nothing
        assert response.status_code == 401 or "Invalid event" in response.json()["message"]


def test_portal_forms_carry_a_token_and_work_with_csrf_checks_on(world, browser_for):
    client = browser_for("alice", enforce_csrf_checks=True)
    page = client.get(world.incident.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"body": "Still down", "csrfmiddlewaretoken": token}
    assert client.post(world.incident.get_absolute_url(), data).status_code == 302
    assert world.incident.comments.filter(body="Still down").exists()


# --- No GET changes state -------------------------------------------------------------------

IGNORED_TABLES = {"sessions.session", "axes.accesslog", "axes.accessattempt"}
IGNORED_FIELDS = {"api.apitoken": {"last_used_at"}}  # use is recorded, at most once a minute


def database_state() -> dict:
    """Every row of every table, as values (minus bookkeeping that reads may update)."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_TABLES:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in IGNORED_FIELDS.get(label, ())
        ]
        state[label] = list(model.objects.order_by("pk").values_list(*fields))
    return state


def _get_paths(world) -> list[tuple[str, str]]:
    from tests.security.test_access_matrix import _admin_values

    paths = []
    for route in all_routes():
        if route.model_admin or route.name == "admin:view_on_site":
            real, _ = _admin_values(route, world)
            values = {**PLACEHOLDERS, **real}
        else:
            values = {
                **PLACEHOLDERS,
                "number": world.incident.number,
                "pk": world.public_file.pk,
                "attachment_id": world.public_file.pk,
                "slug": world.incident.service.slug,
            }
        paths.append((route.name, route.fill(**values)))
    return paths


def test_no_get_request_to_any_route_changes_anything(world, superuser, browser_for):
    admin_client = Client()
    admin_client.force_login(superuser)
    owner, anonymous = browser_for("alice"), browser_for("anonymous")
    paths = _get_paths(world)
    before, shown = database_state(), 0
    for name, path in paths:
        for client in (admin_client, owner, anonymous):
            response = client.get(path)
            assert response.status_code < 500, (name, path)
            shown += response.status_code == 200
    after = database_state()
    assert shown > len(paths) // 2  # real pages were rendered, not just refusals
    changed = [label for label in before if before[label] != after[label]]
    assert changed == []
