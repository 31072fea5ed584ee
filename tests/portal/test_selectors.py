import pytest

from incidents.choices import ServiceStatus
from portal.selectors import derive_state


@pytest.mark.parametrize(
    ("override", "outage_count", "open_count", "expected"),
    [
        ("", 0, 0, ServiceStatus.OPERATIONAL),
        ("", 0, 2, ServiceStatus.DEGRADED),
        ("", 1, 3, ServiceStatus.OUTAGE),
        (ServiceStatus.OPERATIONAL, 1, 1, ServiceStatus.OPERATIONAL),
        (ServiceStatus.MAINTENANCE, 0, 0, ServiceStatus.MAINTENANCE),
    ],
)
def test_a_services_state_follows_its_open_incidents_unless_overridden(
    override, outage_count, open_count, expected
):
    assert (
        derive_state(override=override, outage_count=outage_count, open_count=open_count)
        == expected
    )
