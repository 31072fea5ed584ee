"""The hostile-input suite uses the API clients of tests/api."""

from tests.api.conftest import (  # noqa: F401  (shared fixtures)
    _fresh_throttle_counters,
    client_for,
    manager_api,
    reporter_api,
    responder_api,
)
