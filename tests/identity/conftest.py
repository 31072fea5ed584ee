from dataclasses import dataclass

import pytest
from django.test import Client

from tests.browser.conftest import (  # noqa: F401  (shared browser fixtures)
    _browser,
    _fail_missing_browser,
    page,
    screenshot,
)
from tests.fixtures.oidc import running_provider

ROLE_MAP = {"itsm-responders": "Responders", "itsm-managers": "Incident managers"}


@dataclass
class SignIn:
    provider: object

    def start(self, client: Client, path: str = "/oidc/authenticate/"):
        response = client.get(path)
        assert response.status_code == 302, response.content[:500]
        return response["Location"]

    def callback_url(self, client: Client, login: str, path: str = "/oidc/authenticate/") -> str:
        """Start at our site, sign in at the real provider, return its redirect back."""
        return self.provider.sign_in(login, self.start(client, path))

    def __call__(self, client: Client, login: str, path: str = "/oidc/authenticate/"):
        """The whole round trip; the response of our callback."""
        return client.get(self.callback_url(client, login, path))


def configure(settings, oidc_provider) -> None:
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_ROLE_MAP = dict(ROLE_MAP)
    settings.OIDC_ALLOWED_GROUPS = []
    settings.OIDC_ONLY = False
    settings.OIDC_PROVIDER_NAME = "Example ID"
    settings.SITE_URL = "http://testserver"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "identity.backends.OidcBackend",
    ]


@pytest.fixture
def sso(settings, oidc_provider, db):
    """Single sign-on configured against the test provider, as the environment would."""
    configure(settings, oidc_provider)
    return SignIn(oidc_provider)


@pytest.fixture(scope="module")
def live_oidc_provider(live_server):
    """A provider whose redirect URIs point at the live server (browser tests)."""
    with running_provider(live_server.url) as provider:
        yield provider


@pytest.fixture
def browser_sso(settings, live_oidc_provider, live_server):
    configure(settings, live_oidc_provider)
    settings.SITE_URL = live_server.url
    return live_oidc_provider
