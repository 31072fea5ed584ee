"""What the portal's and the admin's login pages offer, with and without single sign-on."""

import pytest

pytestmark = pytest.mark.django_db
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_without_an_issuer_the_login_pages_are_unchanged(client, path):
    page = client.get(path).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_with_an_issuer_the_login_pages_offer_the_provider(sso, client, path):
    page = client.get(path).content.decode()
    assert "Sign in with Example ID" in page and 'name="password"' in page


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_oidc_only_hides_the_password_form(sso, client, settings, path):
    settings.OIDC_ONLY = True
    page = client.get(path).content.decode()
    assert "Sign in with Example ID" in page and 'name="password"' not in page
    assert 'name="password"' in client.get(f"{path}?local=1").content.decode()


def test_oidc_only_refuses_passwords_except_for_superusers(
    sso, client, settings, responder, superuser, password
):
    settings.OIDC_ONLY = True
    refused = client.post(
        "/accounts/login/?local=1", {"username": responder.username, "password": password}
    )
    assert refused.status_code == 200 and b"signs in with single sign-on" in refused.content
    assert "_auth_user_id" not in client.session
    admin = client.post(
        "/admin/login/?local=1", {"username": superuser.username, "password": password}
    )
    assert admin.status_code == 302 and client.session["_auth_user_id"] == str(superuser.pk)


def test_the_sso_button_keeps_where_the_person_was_going(sso, client):
    page = client.get("/admin/login/?next=/admin/incidents/incident/").content.decode()
    assert "/oidc/authenticate/?next=/admin/incidents/incident/" in page
