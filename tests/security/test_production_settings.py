"""Production settings, checked in fresh processes with a production environment: Django's
deployment checks pass, the hardening headers and secure cookies are on, and the app
refuses to start without its secrets. In-process: the CSP is on every page."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "itsm.example.com",
    "SITE_URL": "https://itsm.example.com",
    "DATABASE_URL": "postgres://itsm:password@db.internal:5432/itsm",
}


def run(tmp_path, *args, env=None, code=None) -> subprocess.CompletedProcess:
    """`manage.py args` (or `python -c code`) in a clean environment plus `env`."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ITSM_VAR_DIR": str(tmp_path)}
    environment.update(env or {})
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def production(tmp_path):
    return {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}


def test_the_deployment_checks_pass_with_a_production_environment(tmp_path, production):
    result = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secret_key_or_database(
    tmp_path, production, missing
):
    environment = {k: v for k, v in production.items() if k != missing}
    result = run(tmp_path, "check", env=environment)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_production_refuses_the_development_secret_key(tmp_path, production):
    dev_key = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"
    result = run(tmp_path, "check", env={**production, "SECRET_KEY": dev_key})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path, production):
    key_file = tmp_path / "secret_key"
    key_file.write_text(production.pop("SECRET_KEY") + "\n")
    result = run(tmp_path, "check", env={**production, "SECRET_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr


# Requests in a production process (no database needed for these pages).
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
# Pages link their CSS through the static manifest that collectstatic writes at deploy.
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
client = Client(HTTP_HOST="itsm.example.com")
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
print(json.dumps({
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
    "plain": [plain.status_code, plain.get("Location", "")],
    "settings": {name: getattr(settings, name) for name in (
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT", "DEBUG")},
}))
"""


def test_production_answers_with_hsts_csp_referrer_policy_and_secure_cookies(tmp_path, production):
    env = {**production, "DJANGO_SETTINGS_MODULE": "itsm.settings", "PYTHONPATH": str(ROOT)}
    result = run(tmp_path, code=PROBE, env=env)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    headers = probe["headers"]
    assert probe["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "base-uri 'self'" in csp
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert probe["csrf_cookie_secure"] is True
    assert probe["settings"] == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }
    assert probe["plain"] == [301, "https://itsm.example.com/accounts/login/"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/portal/", "/accounts/login/", "/status/", "/admin/login/", "/api/v1/", "/api/docs/"],
)
def test_every_kind_of_page_carries_the_content_security_policy(url, client):
    response = client.get(url)
    assert response.status_code in (200, 302, 401)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
