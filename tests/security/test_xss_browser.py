"""The XSS corpus in a real browser: every page that shows it is opened by the persona who
would see it, and no dialog opens, no script error happens and no Content-Security-Policy
violation is reported (the `page` fixture fails the test on any of these). The HTML
e-mails are loaded as they are, without our CSP, so they must be inert by themselves."""

import pytest
from django.core import mail

from tests.security.hostile_world import build_hostile_world, hostile_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ACTIVE_LINKS = """() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
            || e.getAttribute('formaction') || '')
  .map(v => v.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase())
  .filter(v => v.startsWith('javascript:') || v.startsWith('vbscript:')
               || (v.startsWith('data:') && v !== 'data:,'))"""


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert page.evaluate(ACTIVE_LINKS) == [], url
    page.wait_for_timeout(50)  # a deferred onerror or ontoggle would have fired by now


@pytest.fixture
def hostile(users, service, browser_for, api_for, client, django_capture_on_commit_callbacks):
    return build_hostile_world(
        users, service, browser_for, api_for, client, django_capture_on_commit_callbacks
    )


def test_no_hostile_input_runs_on_any_page_for_anyone(page, sign_in, screenshot, hostile, users):
    by_persona: dict[str, list[str]] = {}
    for persona, url in hostile_pages(hostile):
        by_persona.setdefault(persona, []).append(url)
    for persona, urls in by_persona.items():
        page.context.clear_cookies()
        if persona != "anonymous":
            sign_in(users[persona])
        for url in urls:
            _visit(page, url)
    page.context.clear_cookies()
    sign_in(users["agent"])
    _visit(page, hostile["portal"].get_admin_url())
    screenshot(page, "admin-change-page")
    _visit(page, "/admin/incidents/incident/?status=all")
    screenshot(page, "admin-list")


def test_no_hostile_input_runs_in_the_html_e_mails(page, screenshot, hostile):
    assert mail.outbox
    for message in mail.outbox:
        page.set_content(message.alternatives[0][0])
        page.wait_for_timeout(50)
        assert page.evaluate(ACTIVE_LINKS) == [], message.subject
    screenshot(page, "last-e-mail")
