"""The single sign-on settings fail loudly on values they cannot use."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from identity.config import parse_role_map


def test_the_role_map_reads_groups_and_roles():
    value = " itsm-responders=Responders, itsm-managers = Incident managers ,"
    assert parse_role_map("OIDC_ROLE_MAP", value) == {
        "itsm-responders": "Responders",
        "itsm-managers": "Incident managers",
    }
    assert parse_role_map("OIDC_ROLE_MAP", "") == {}


@pytest.mark.parametrize("value", ["itsm-responders", "=Responders", "g=Admins", "g=responders"])
def test_a_role_map_entry_that_is_not_group_equals_role_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="OIDC_ROLE_MAP"):
        parse_role_map("OIDC_ROLE_MAP", value)


def _check(tmp_path, **env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    environment = {
        "PATH": os.environ["PATH"],
        "ITSM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "itsm.settings",
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ISSUER": "https://id.example.com"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        ({"OIDC_ONLY": "1"}, "OIDC_ONLY=1 needs OIDC_ISSUER"),
        ({"OIDC_ROLE_MAP": "a=Admins"}, "OIDC_ROLE_MAP"),
        ({"ITSM_STAFF_2FA": "maybe"}, "ITSM_STAFF_2FA"),
    ],
)
def test_unusable_sign_in_settings_stop_the_process_with_their_name(tmp_path, env, message):
    result = _check(tmp_path, **env)
    assert result.returncode != 0 and message in result.stderr


def test_a_complete_single_sign_on_configuration_starts(tmp_path):
    result = _check(
        tmp_path,
        OIDC_ISSUER="https://id.example.com/realms/acme/",
        OIDC_CLIENT_ID="itsm",
        OIDC_CLIENT_SECRET="secret",
        OIDC_ROLE_MAP="itsm-responders=Responders",
        OIDC_ONLY="1",
    )
    assert result.returncode == 0, result.stderr
