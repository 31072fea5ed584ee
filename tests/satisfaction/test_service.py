"""rating_record: who may rate, when, and the team lead told of a low rating once."""

import pytest
from django.core import mail

from incidents.exceptions import DomainError, NotPermitted
from incidents.models import IncidentEvent
from satisfaction.models import Rating
from satisfaction.services import LOW_RATING_KIND, rating_record

pytestmark = pytest.mark.django_db


def lead_mails(address="manager@example.com"):
    return [m for m in mail.outbox if address in m.to and "Low satisfaction" in m.subject]


def test_only_the_reporter_can_rate(resolved, other_reporter, responder):
    for user in (other_reporter, responder):
        with pytest.raises(NotPermitted):
            rating_record(incident=resolved, user_or_token=user, score=5, comment="")
    assert not Rating.objects.exists()


def test_a_bad_score_names_the_field(resolved, reporter):
    with pytest.raises(DomainError) as refused:
        rating_record(incident=resolved, user_or_token=reporter, score=9, comment="")
    assert refused.value.field == "score"


def test_a_low_rating_mails_the_team_lead_with_the_score_and_comment(
    resolved, reporter, run_on_commit
):
    mail.outbox.clear()
    with run_on_commit():
        rating_record(
            incident=resolved, user_or_token=reporter, score=1, comment="Took three days."
        )
    [message] = lead_mails()
    assert message.subject == "[INC0001001] Low satisfaction rating (1/5): VPN down"
    assert "rated how it was handled 1 out of 5" in message.body
    assert "Took three days." in message.body
    assert "/admin/incidents/incident/" in message.body
    low = [m.to for m in mail.outbox if "satisfaction" in m.subject]
    assert low == [["manager@example.com"]]  # nobody else


def test_the_lead_is_told_once_per_rating_even_when_it_is_changed(
    resolved, reporter, run_on_commit
):
    mail.outbox.clear()
    for score in (2, 1, 5, 1):
        with run_on_commit():
            rating_record(incident=resolved, user_or_token=reporter, score=score, comment="")
    assert len(lead_mails()) == 1
    assert IncidentEvent.objects.filter(kind=LOW_RATING_KIND).count() == 1


@pytest.mark.parametrize("score", [3, 4, 5])
def test_a_fair_or_good_rating_tells_nobody(resolved, reporter, run_on_commit, score):
    mail.outbox.clear()
    with run_on_commit():
        rating_record(incident=resolved, user_or_token=reporter, score=score, comment="")
    assert mail.outbox == []


def test_the_low_score_threshold_is_a_setting(resolved, reporter, run_on_commit, settings):
    settings.ITSM_CSAT_LOW_SCORE = 3
    mail.outbox.clear()
    with run_on_commit():
        rating_record(incident=resolved, user_or_token=reporter, score=3, comment="")
    assert len(lead_mails()) == 1


def test_the_lead_notification_is_named_in_the_incident_timeline(resolved, reporter, run_on_commit):
    from incidents.selectors import incident_timeline

    with run_on_commit():
        rating_record(incident=resolved, user_or_token=reporter, score=1, comment="")
    bodies = [entry.body for entry in incident_timeline(resolved)]
    assert "To manager@example.com (team lead) about: Low satisfaction rating" in bodies
