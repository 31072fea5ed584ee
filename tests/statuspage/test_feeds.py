"""The Atom and RSS feeds, read by a real feed parser."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_incident, service, publish, make_window, place, reporter):
    incident = make_incident(title="VPN drops every hour", service=service)
    publish(incident, "A gateway is being replaced.")
    from incidents import services
    from incidents.choices import Channel

    services.incident_comment(
        incident=incident, author=reporter, body="call me 555-0199", public=True, via=Channel.PORTAL
    )
    make_incident(title="Secret audit", service=service, confidential=True)
    now = timezone.now()
    make_window(now + timedelta(days=1), now + timedelta(days=1, hours=2), title="Core switch swap")
    make_window(
        now + timedelta(days=1), now + timedelta(days=1, hours=2), public=False, title="Hidden"
    )
    return incident


@pytest.mark.parametrize(
    ("name", "version"), [("status-feed-atom", "atom10"), ("status-feed-rss", "rss20")]
)
def test_the_feed_lists_public_incidents_and_maintenance_only(client, published, name, version):
    response = client.get(reverse(name))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "Service status: incidents and maintenance"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Maintenance: Core switch swap", "VPN drops every hour (VPN)"]
    incident = feed.entries[1]
    assert "A gateway is being replaced." in incident.summary
    assert "555-0199" not in response.content.decode()
    assert "Secret audit" not in response.content.decode()
    assert published.number not in response.content.decode()
    assert incident.link.startswith("http://testserver/status/history/?month=")
    assert feed.entries[0].link.split("#")[1].startswith("maintenance-")
    assert incident.id != feed.entries[0].id


def test_atom_entries_carry_an_updated_date(client, published):
    feed = feedparser.parse(client.get(reverse("status-feed-atom")).content)
    assert all(entry.updated_parsed for entry in feed.entries)


def test_hostile_titles_and_updates_stay_well_formed_text(client, make_incident, service, publish):
    incident = make_incident(title='VPN <script>alert(1)</script> & "quotes" ]]>', service=service)
    publish(incident, "Body with <b>tags</b> & \x1b control")
    for name in ("status-feed-atom", "status-feed-rss"):
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.entries[0].title.startswith("VPN <script>alert(1)</script> &")
