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
