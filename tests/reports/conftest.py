"""Fixtures of reports: the hand-worked week of incidents (tests/metrics) the figures are
checked against, and the shared browser fixtures (tests/browser/conftest.py) for the
reports page in Chromium."""

from tests.browser.conftest import (  # noqa: F401  (browser fixtures, for test_reports_browser)
    _browser,
    _fail_missing_browser,
    page,
    pytest_collection_modifyitems,
    screenshot,
    sign_in,
)
from tests.metrics.conftest import week  # noqa: F401  (the hand-worked week of incidents)
