"""Single sign-on against a real OpenID Connect provider (tests/fixtures/oidc.py): the
code flow with PKCE, state and nonce, the ID token verified against the provider's keys,
and accounts and roles from its claims."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from identity.models import OidcIdentity
from incidents.roles import MANAGERS, RESPONDERS

pytestmark = pytest.mark.django_db
User = get_user_model()


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_authorization_request_uses_pkce_state_and_nonce(sso, client):
    location = sso.start(client)
    assert location.startswith(f"{sso.provider.issuer}/auth?")
    for parameter in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256"):
        assert parameter in location
    assert "scope=openid+email+profile" in location


def test_first_sign_in_creates_the_account_with_roles_from_groups(sso, client):
    response = sso(client, "rita")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    user = User.objects.get(email="rita@example.com")
    assert (user.first_name, user.last_name, user.is_staff) == ("Rita", "Responder", True)
    assert roles(user) == {RESPONDERS}
    assert not user.has_usable_password()
    assert OidcIdentity.objects.get(user=user).subject == "rita"
    admin = client.get("/admin/")
    assert admin.status_code == 200


def test_a_manager_gets_both_roles_and_lands_where_they_started(sso, client):
    response = sso(client, "max", path="/oidc/authenticate/?next=/portal/incidents/")
    assert response["Location"] == "/portal/incidents/"
    assert roles(User.objects.get(email="max@example.com")) == {RESPONDERS, MANAGERS}


def test_a_user_in_no_mapped_group_lands_in_the_portal_as_an_end_user(sso, client):
    response = sso(client, "eve")
    assert response["Location"] == "/portal/"
    user = User.objects.get(email="eve@example.com")
    assert not user.is_staff and roles(user) == set()
    assert client.get("/portal/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_an_existing_account_is_adopted_by_its_verified_email(sso, client, reporter):
    assert reporter.email == "alice@example.com"
    sso(client, "alice-sso")
    reporter.refresh_from_db()
    assert OidcIdentity.objects.get(subject="alice-sso").user == reporter
    assert reporter.last_name == "Sso"
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_an_unverified_email_does_not_take_over_an_existing_account(sso, client, reporter):
    before = User.objects.count()
    response = sso(client, "claimer")
    assert response.status_code == 409
    assert b"has not confirmed that the address is yours" in response.content
    assert User.objects.count() == before and not OidcIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_roles_follow_the_groups_and_staff_ends_with_the_last_one(sso, client):
    sso.provider.set_account("changer", groups=["itsm-managers"], given_name="Chan")
    sso(client, "changer")
    user = User.objects.get(email="changer@example.com")
    assert roles(user) == {MANAGERS} and user.is_staff

    sso.provider.set_account("changer", groups=["itsm-responders"], given_name="Chang")
    sso(client, "changer")
    user.refresh_from_db()
    assert roles(user) == {RESPONDERS} and user.first_name == "Chang"

    sso.provider.set_account("changer", groups=["unrelated"])
    response = sso(client, "changer")
    user.refresh_from_db()
    assert roles(user) == set() and not user.is_staff
    assert response["Location"] == "/portal/"
    assert OidcIdentity.objects.filter(user=user).count() == 1


def test_a_user_in_no_allowed_group_is_refused_and_nothing_is_left_behind(sso, client, settings):
    settings.OIDC_ALLOWED_GROUPS = ["staff-all", "itsm-responders"]
    before = User.objects.count()
    response = sso(client, "outsider")
    assert response.status_code == 403
    assert b"not in any group allowed" in response.content
    assert b"Traceback" not in response.content
    assert User.objects.count() == before and not OidcIdentity.objects.exists()


def test_an_unreachable_provider_gives_a_clear_page(sso, client, settings, caplog):
    from tests.fixtures.faults import free_port

    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 503
    assert b"cannot be reached right now" in response.content
    assert "provider_unreachable" in caplog.text


def test_a_provider_that_goes_away_during_the_sign_in_gives_a_clear_page(sso, client, settings):
    url = sso.callback_url(client, "rita")
    cache.set(
        f"identity:oidc-metadata:{settings.OIDC_ISSUER}",
        {
            **cache.get(f"identity:oidc-metadata:{settings.OIDC_ISSUER}"),
            "token_endpoint": "http://127.0.0.1:9/token",
        },
    )
    response = client.get(url)
    assert response.status_code == 503 and b"cannot be reached" in response.content
    assert not User.objects.filter(email="rita@example.com").exists()


def test_a_wrong_client_secret_gives_a_clear_page(sso, client, settings, caplog):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    response = sso(client, "rita")
    assert response.status_code == 502
    assert b"did not accept this site&#x27;s credentials" in response.content
    assert "client_rejected" in caplog.text
    assert not User.objects.filter(email="rita@example.com").exists()


def test_a_tampered_state_is_refused(sso, client):
    url = sso.callback_url(client, "rita").replace("state=", "state=x")
    response = client.get(url)
    assert response.status_code == 400 and b"expired or was already used" in response.content
    assert not User.objects.exists()


def test_a_replayed_state_is_refused(sso, client):
    url = sso.callback_url(client, "rita")
    assert client.get(url).status_code == 302
    replay = client.get(url)
    assert replay.status_code == 400 and b"expired or was already used" in replay.content


def test_an_expired_state_is_refused(sso, client, settings):
    url = sso.callback_url(client, "rita")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["added_on"] -= settings.OIDC_STATE_MAX_AGE + 1
    session.save()
    response = client.get(url)
    assert response.status_code == 400 and b"took too long and has expired" in response.content
    assert not User.objects.exists()


def test_a_wrong_nonce_is_refused(sso, client, caplog):
    url = sso.callback_url(client, "rita")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "another-nonce"
    session.save()
    response = client.get(url)
    assert response.status_code == 400 and b"could not be verified" in response.content
    assert "Nonce" in caplog.text
    assert not User.objects.exists()


def test_a_tampered_id_token_is_refused(sso, client, monkeypatch):
    from identity.backends import OidcBackend

    real = OidcBackend.get_token

    def tampered(self, payload):
        tokens = real(self, payload)
        header, body, signature = tokens["id_token"].split(".")
        tokens["id_token"] = f"{header}.{body}.{signature[:-6]}AAAAAA"
        return tokens

    monkeypatch.setattr(OidcBackend, "get_token", tampered)
    response = sso(client, "rita")
    assert response.status_code == 400 and b"could not be verified" in response.content
    assert not User.objects.exists()


def test_a_rotated_key_is_fetched_again(sso, client, settings):
    cache.set(f"identity:oidc-jwks:{settings.OIDC_ISSUER}", [{"kty": "RSA", "kid": "old"}])
    assert sso(client, "rita").status_code == 302
    assert User.objects.filter(email="rita@example.com").exists()
    assert cache.get(f"identity:oidc-jwks:{settings.OIDC_ISSUER}")[0]["kid"] != "old"


def test_sign_out_ends_the_session_here_and_at_the_provider(sso, client):
    sso(client, "rita")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso.provider.issuer}/session/end?")
    assert "id_token_hint=" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_sign_out_from_the_admin_ends_the_session_at_the_provider_too(sso, client):
    sso(client, "rita")
    response = client.post("/admin/logout/")
    assert response["Location"].startswith(f"{sso.provider.issuer}/session/end?")
    assert "_auth_user_id" not in client.session


def test_the_provider_ends_its_session_and_sends_the_browser_back(sso, client):
    import requests

    sso(client, "rita")
    location = client.post("/accounts/logout/")["Location"]
    at_provider = requests.get(location, allow_redirects=False, timeout=10)
    # oidc-provider asks the browser to confirm with a form; the hint and client were taken.
    assert at_provider.status_code == 200 and "<form" in at_provider.text


def test_a_password_session_signs_out_locally_only(sso, client, reporter, password):
    client.post("/accounts/login/", {"username": reporter.username, "password": password})
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_the_provider_saying_no_gives_a_clear_page(sso, client):
    location = sso.start(client)
    state = location.split("state=")[1].split("&")[0]
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")
    assert response.status_code == 400 and b"did not sign you in" in response.content
    assert state not in client.session.get("oidc_states", {})
