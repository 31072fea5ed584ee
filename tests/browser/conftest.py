"""Browser tests: the real pages in Debian's headless Chromium, driven by Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by
`scripts/ensure-browser`). Without it the tests marked `browser` are skipped locally and
fail with ITSM_REQUIRE_SERVICES=1 (CI), like the `services` tests.

Fixtures for any app's browser tests:
- `page`: a fresh browser tab on the live server (`live_server`). A JavaScript dialog
  (alert/confirm/prompt), an uncaught script error or a Content-Security-Policy violation
  fails the test. A screenshot of the last state is saved when the test ends. Mark the
  tests `django_db(transaction=True)`; the default rules and roles the database is emptied
  of between them come back by themselves (incidents.defaults, after each flush).
- `screenshot(name)`: saves a full-page PNG as test-artifacts/<test>--<name>.png.
- `sign_in(user)`: signs the page in through the real login form.
Other test folders use them by importing them into their own conftest.py (they then share
this process's one browser).
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ITSM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REQUIRE = os.environ.get("ITSM_REQUIRE_SERVICES") == "1"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
]


def _missing() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package (requirements/dev.txt)"
    return ""


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    if not missing:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            if REQUIRE:
                item.add_marker(pytest.mark.usefixtures("_fail_missing_browser"))
            else:
                item.add_marker(pytest.mark.skip(reason=f"needs {missing}"))


@pytest.fixture
def _fail_missing_browser():
    pytest.fail(f"ITSM_REQUIRE_SERVICES=1 but {_missing()} is missing")


# One Playwright driver and one Chromium per test process, however many conftest files
# import these fixtures (each import is a separate session fixture to pytest, and a second
# sync Playwright cannot start while the first runs).
_shared: dict = {"users": 0}


def _start_browser():
    if missing := _missing():
        pytest.fail(f"browser tests need {missing}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard must not refuse them.
    _shared["async_unsafe"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _shared["playwright"] = sync_playwright().start()
    _shared["browser"] = _shared["playwright"].chromium.launch(
        executable_path=CHROMIUM, headless=True, args=FLAGS
    )


def _stop_browser():
    try:
        _shared.pop("browser").close()
    finally:
        _shared.pop("playwright").stop()
        if _shared.pop("async_unsafe") is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def _browser():
    if "browser" not in _shared:
        _start_browser()
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if not _shared["users"]:
            _stop_browser()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


@pytest.fixture
def screenshot(request):
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = _slug(request.node.name)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{prefix}--{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def page(_browser, live_server, screenshot, request):
    """A tab on the live server; fails the test on dialogs, script errors and CSP reports."""
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []

    def on_dialog(dialog):
        problems.append(f"unexpected {dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation: {message.text}")

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("console", on_console)
    try:
        yield tab
        assert not problems, "; ".join(problems)
    finally:
        try:
            screenshot(tab, "last")
        finally:
            context.close()


@pytest.fixture
def sign_in(page, password):
    def sign_in(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/portal/")

    return sign_in
