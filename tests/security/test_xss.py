"""Stored XSS: the corpus (tests/security/xss.py) entered through the portal, the API,
monitoring, e-mail and comments, and by people's names, is inert on every page that shows
it: the workspace list, change pages and history, reviews and problems, the portal, the
public status page, the browsable API and the HTML e-mails."""

import pytest
from django.core import mail

from problems.markdown import render_markdown
from tests.security.hostile_world import build_hostile_world, hostile_pages
from tests.security.xss import CORPUS, MARKDOWN_PAYLOADS, TITLE, assert_inert, live_markup

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(users, service, browser_for, api_for, client, django_capture_on_commit_callbacks):
    return build_hostile_world(
        users, service, browser_for, api_for, client, django_capture_on_commit_callbacks
    )


def test_every_page_showing_hostile_input_shows_it_as_text(hostile, browser_for):
    shown = 0
    for persona, url in hostile_pages(hostile):
        response = browser_for(persona).get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, (persona, url, response.status_code)
        html = response.content.decode()
        assert_inert(html, f"{persona} {url}")
        shown += "xss-" in html
    # Not vacuous: the hostile text really is on (nearly) every one of those pages.
    assert shown >= len(hostile_pages(hostile)) - 2


def test_the_hostile_text_is_kept_as_the_user_wrote_it(hostile):
    portal = hostile["portal"]
    assert portal.title == TITLE and portal.description == CORPUS
    assert portal.comments.filter(body=CORPUS).count() == 4


def test_the_status_page_shows_the_major_incident_and_its_update_escaped(hostile, browser_for):
    html = browser_for("anonymous").get("/status/").content.decode()
    assert "&lt;script&gt;alert(&quot;xss-script&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(&quot;xss-title&quot;)&gt;" in html
    assert_inert(html, "/status/")


def test_html_e_mails_show_hostile_titles_comments_and_names_as_text(hostile):
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        (html, kind) = message.alternatives[0]
        assert kind == "text/html"
        assert_inert(html, message.subject)
        assert "\n" not in message.subject and "\r" not in message.subject
    bodies = " ".join(m.alternatives[0][0] for m in mail.outbox)
    assert "&lt;img src=x onerror=alert(&quot;xss-title&quot;)&gt;" in bodies


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_keeps_no_active_content(payload):
    html = str(render_markdown(payload))
    assert not live_markup(html), html
    assert "<script" not in html.lower() and "javascript:" not in html.lower()


def test_markdown_keeps_safe_links_and_formatting():
    html = str(render_markdown("**Restart** the [gateway](https://wiki.example.com/gw)"))
    assert "<strong>Restart</strong>" in html
    assert '<a href="https://wiki.example.com/gw" rel="noopener noreferrer">gateway</a>' in html


def test_the_scanner_itself_finds_live_markup():
    """The check above would catch a template that rendered the corpus unescaped."""
    assert len(live_markup(CORPUS)) >= 8
    assert live_markup('<a href="  JaVa\tScRiPt:alert(1)">x</a>')
    assert live_markup('<a href="javascript:javascript:alert(1)">x</a>')
    assert live_markup('<img src="data:text/html,x">')
    assert not live_markup("&lt;script&gt;alert(1)&lt;/script&gt; <a href=/x>ok</a>")
