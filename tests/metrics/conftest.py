"""A small week of incidents whose figures are worked out by hand in the tests.

Range: 1-8 March 2026 (UTC), looked at on 7 March 11:00. Targets are the defaults:
P1 respond 15 min / resolve 4 h, P2 30 min / 8 h, P3 4 h / 72 h.

| inc | prio | service | opened       | what happens                                      |
|-----|------|---------|--------------|---------------------------------------------------|
| A   | P2   | VPN     | 2 Mar 09:00  | ack 09:10; vendor hold 10-12; user hold 13-14;     |
|     |      |         |              | resolved 15:00: MTTR 6 h - 3 h hold = 3 h          |
| B   | P3   | VPN     | 3 Mar 08:00  | ack 13:00 (late); resolved 18:00; reopened 4 Mar   |
|     |      |         |              | 08:00; resolved 10:00: MTTR 26 h - 14 h = 12 h     |
| C   | P3   | E-mail  | 4 Mar 12:00  | ack 12:30; still open, within target              |
| D   | P1   | E-mail  | 5 Mar 00:00  | started 00:20 (late); resolved 06:00 (late): 6 h   |
| E   | P3   | E-mail  | 5 Mar 01:00  | cancelled: counts nowhere                          |
| F   | P3   | VPN     | 20 Feb 00:00 | ack 01:00; resolved 2 Mar 12:00 (late): 252 h      |
| G   | P1   | E-mail  | 6 Mar 00:00  | never acknowledged: both targets breached          |
| H   | P3   | VPN     | 9 Mar 00:00  | after the range                                    |
"""

from datetime import UTC, datetime

import pytest
import time_machine

from incidents import services
from incidents.choices import Channel
from incidents.models import Service

START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)
NOW = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
HOUR = 3600.0


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class Story:
    """Drives incidents through the services at given moments."""

    def __init__(self, responder, reporter):
        self.responder, self.reporter = responder, reporter

    def _do(self, moment, action, **kwargs):
        with time_machine.travel(moment, tick=False):
            return action(actor=self.responder, via=Channel.ADMIN, **kwargs)

    def open(self, moment, *, service, impact="medium", urgency="medium", title="Broken"):
        with time_machine.travel(moment, tick=False):
            return services.incident_create(
                title=title,
                reporter=self.reporter,
                via=Channel.PORTAL,
                service=service,
                impact=impact,
                urgency=urgency,
            )

    def ack(self, moment, incident):
        return self._do(moment, services.incident_acknowledge, incident=incident)

    def start(self, moment, incident):
        return self._do(moment, services.incident_start, incident=incident)

    def hold(self, moment, incident, reason):
        return self._do(moment, services.incident_hold, incident=incident, reason=reason)

    def resume(self, moment, incident):
        return self._do(moment, services.incident_resume, incident=incident)

    def resolve(self, moment, incident):
        return self._do(
            moment,
            services.incident_resolve,
            incident=incident,
            resolution_code="fixed",
            resolution_notes="Fixed.",
        )

    def reopen(self, moment, incident):
        return self._do(moment, services.incident_reopen, incident=incident)

    def cancel(self, moment, incident):
        return self._do(moment, services.incident_cancel, incident=incident)


@pytest.fixture
def week(db, responder, reporter, team):
    vpn = Service.objects.create(name="VPN", slug="vpn", owner_team=team)
    email = Service.objects.create(name="E-mail", slug="email")
    story = Story(responder, reporter)
    a = story.open(at(2, 9), service=vpn, impact="high", title="A")
    story.ack(at(2, 9, 10), a)
    story.hold(at(2, 10), a, "awaiting_vendor")
    story.resume(at(2, 12), a)
    story.hold(at(2, 13), a, "awaiting_user")
    story.resume(at(2, 14), a)
    story.resolve(at(2, 15), a)

    b = story.open(at(3, 8), service=vpn, title="B")
    story.ack(at(3, 13), b)
    story.resolve(at(3, 18), b)
    story.reopen(at(4, 8), b)
    story.resolve(at(4, 10), b)

    c = story.open(at(4, 12), service=email, title="C")
    story.ack(at(4, 12, 30), c)

    d = story.open(at(5, 0), service=email, impact="high", urgency="high", title="D")
    story.start(at(5, 0, 20), d)
    story.resolve(at(5, 6), d)

    e = story.open(at(5, 1), service=email, title="E")
    story.cancel(at(5, 2), e)

    f = story.open(at(20, 0, month=2), service=vpn, title="F")
    story.ack(at(20, 1, month=2), f)
    story.resolve(at(2, 12), f)

    g = story.open(at(6, 0), service=email, impact="high", urgency="high", title="G")
    h = story.open(at(9, 0), service=vpn, title="H")
    return {"vpn": vpn, "email": email, **{i.title: i for i in (a, b, c, d, e, f, g, h)}}
