"""The hostile-input suite: fixtures shared with tests/api and tests/security, the rule that
no request may log an ERROR, and the closing summary of requests sent per door."""

import logging

import pytest

from tests.api.conftest import (  # noqa: F401  (shared fixtures)
    _fresh_throttle_counters,
    client_for,
    manager_api,
    reporter_api,
    responder_api,
)
from tests.hostile.values import TALLY, summary
from tests.security.conftest import api_for, browser_for, clerk, users, world  # noqa: F401


@pytest.fixture(autouse=True)
def _no_error_logged(caplog):
    """A refusal is a warning at most: an ERROR line means something broke."""
    yield
    errors = [
        f"{record.name}: {record.getMessage()}"
        for phase in ("setup", "call")
        for record in caplog.get_records(phase)
        if record.levelno >= logging.ERROR
    ]
    assert errors == []


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.section("hostile-input suite: requests per door and status")
        for line in summary():
            terminalreporter.write_line(line)
