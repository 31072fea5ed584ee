"""The knowledge base in a real browser: articles suggested while a report title is typed
(and, with JavaScript off, after the first submit), reading one and answering."""

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from knowledge import services
from knowledge.choices import Audience
from knowledge.models import ArticleFeedback

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def library(responder, service):
    def publish(title, body, **fields):
        article = services.article_create(actor=responder, title=title, body=body, **fields)
        return services.article_publish(article=article, actor=responder)

    return [
        publish("VPN token expired", "## Fix\n\nAsk for a **new token**.", service=service),
        publish("VPN disconnects every few minutes", "Update the VPN client.", service=service),
        publish("VPN for contractors", "Internal.", audience=Audience.STAFF),
        publish("Printer offline", "Restart it."),
    ]


def test_articles_appear_while_the_report_title_is_typed(
    page, sign_in, screenshot, reporter, library
):
    sign_in(reporter)
    page.goto("/portal/report/")
    title = page.get_by_label("What is the problem?")
    title.press_sequentially("vpn token", delay=40)
    suggestions = page.get_by_role("region", name="These articles may help")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link").first).to_have_text("VPN token expired")
    expect(suggestions.get_by_role("link", name="VPN for contractors")).to_have_count(0)
    expect(suggestions.get_by_role("link", name="Printer offline")).to_have_count(0)
    assert page.url.endswith("/portal/report/")  # no reload: the form is as typed
    expect(title).to_have_value("vpn token")
    screenshot(page, "suggested")

    title.fill("")
    title.press_sequentially("keyboard", delay=20)
    expect(page.get_by_role("region", name="These articles may help")).to_have_count(0)


def test_without_javascript_the_articles_are_offered_after_the_first_submit(
    _browser, live_server, password, screenshot, reporter, library
):
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(reporter.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/portal/report/")
        page.get_by_label("What is the problem?").fill("VPN token rejected")
        page.get_by_label("Tell us more").fill("Since this morning.")
        page.get_by_label("Only me").check()
        page.get_by_label("Completely: I cannot do my work at all").check()
        page.get_by_role("button", name="Send report").click()
        suggestions = page.get_by_role("region", name="These articles may help")
        expect(suggestions.get_by_role("link", name="VPN token expired")).to_be_visible()
        assert not Incident.objects.exists()
        screenshot(page, "offered-without-javascript")
        page.get_by_role("button", name="Report it anyway").click()
        expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
        assert Incident.objects.count() == 1
    finally:
        context.close()


def test_a_visitor_browses_reads_and_answers(page, screenshot, library):
    page.goto("/portal/kb/")
    expect(page.get_by_role("heading", name="Knowledge base")).to_be_visible()
    screenshot(page, "index")
    page.get_by_label("Search the knowledge base").fill("token")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="VPN token expired").click()
    expect(page.locator(".prose strong")).to_have_text("new token")
    screenshot(page, "article")
    page.get_by_role("button", name="Yes, it did").click()
    expect(page.get_by_text("Thank you for your answer.")).to_be_visible()
    screenshot(page, "answered")
    assert ArticleFeedback.objects.get().helpful is True


def test_a_responder_starts_an_article_from_a_resolved_incident_and_publishes_it(
    page, screenshot, password, responder, manager, make_incident, service
):
    from incidents import services as incident_services
    from incidents.choices import Channel
    from knowledge.models import Article

    incident = make_incident(title="VPN refuses my login", service=service)
    incident_services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Renewed the user's token.",
    )
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(responder.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(incident.get_admin_url())
    page.get_by_role("button", name="Start a knowledge article").click()
    expect(page.get_by_text("Draft started from")).to_be_visible()
    expect(page.locator(".kb-preview")).to_contain_text("Renewed the user's token.")
    screenshot(page, "draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: the article is in the portal.")).to_be_visible()
    assert Article.objects.get().is_published
    page.get_by_role("link", name="View on site").click()
    expect(page.get_by_role("heading", name="VPN refuses my login")).to_be_visible()

    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(manager.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/reports/")
    expect(
        page.get_by_role("heading", name="Knowledge base: which articles deflect")
    ).to_be_visible()
    screenshot(page, "reports")


def test_a_responder_starts_an_article_from_a_problems_workaround(
    page, screenshot, password, responder, service
):
    from problems import services as problem_services

    problem = problem_services.problem_create(
        title="Gateway certificate expires yearly",
        actor=responder,
        service=service,
        workaround="Tick **Use backup gateway** and connect again.",
    )
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(responder.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(problem.get_admin_url())
    screenshot(page, "problem")
    page.get_by_role("button", name="Start a knowledge article").click()
    expect(page.locator(".kb-preview strong")).to_have_text("Use backup gateway")
    screenshot(page, "draft")
