"""While a person reports a problem, the articles its title suggests are offered beside
the "already known" offer: as they type (the fragment the script fetches) and, without
JavaScript, on the first POST."""

import pytest
from django.urls import reverse

from incidents.models import Incident
from knowledge.choices import Audience

pytestmark = pytest.mark.django_db
REPORT = reverse("portal:report")
FRAGMENT = reverse("portal:report-known")


@pytest.fixture
def library(make_article, service):
    make_article("VPN disconnects every few minutes", "Update the VPN client.", service=service)
    make_article("VPN token expired", "Ask for a new token.", service=service)
    make_article("VPN slow from hotels", "Use the other gateway.", service=service)
    make_article("VPN access for contractors", "Staff only.", audience=Audience.STAFF)
    make_article("Printer offline", "Restart it.")


def test_the_fragment_offers_the_three_most_relevant_articles_for_the_typed_title(alice, library):
    response = alice.get(FRAGMENT, {"title": "vpn disconnects"})
    articles = [article.title for article in response.context["articles"]]
    assert articles[0] == "VPN disconnects every few minutes"
    assert len(articles) == 3 and "VPN access for contractors" not in articles
    page = response.content.decode()
    assert "These articles may help" in page and "Printer offline" not in page


def test_the_fragment_is_empty_when_nothing_matches(alice, library):
    response = alice.get(FRAGMENT, {"title": "keyboard"})
    assert response.content.decode().strip() == ""


def test_without_javascript_the_first_post_offers_articles_and_keeps_the_report(
    alice, library, report_data
):
    data = {**report_data, "title": "VPN token problem", "service": ""}
    response = alice.post(REPORT, data)
    page = response.content.decode()
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "These articles may help" in page and "VPN token expired" in page
    assert 'name="confirm_new" value="1"' in page and "Report it anyway" in page
    assert 'value="VPN token problem"' in page  # what they typed is kept

    response = alice.post(REPORT, {**data, "confirm_new": "1"})
    assert response.status_code == 302 and Incident.objects.count() == 1


def test_the_articles_appear_next_to_the_already_known_offer(
    alice, library, report_data, make_incident, other_reporter, service
):
    make_incident(title="VPN down", reporter=other_reporter, service=service, impact="high")
    page = alice.post(REPORT, {**report_data, "title": "VPN disconnects"}).content.decode()
    assert "This may already be known" in page and "These articles may help" in page


def test_a_hostile_title_gets_a_fragment(alice, library):
    for title in ("&|!:*", "x" * 10_000, "' OR 1=1 --", "🙂 vpn"):
        assert alice.get(FRAGMENT, {"title": title}).status_code == 200
    # A NUL is refused by the site's input check before the view, as everywhere.
    assert alice.get(FRAGMENT, {"title": "\x00vpn"}).status_code == 400
