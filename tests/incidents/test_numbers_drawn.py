"""On PostgreSQL a new incident's INSERT draws its own number from the counter (one round
trip less per create): numbers stay unique, consecutive and gapless under simultaneous
creates, come back on the saved instance, and the counter stays their one source."""

import pytest
from django.db import connection, transaction

from incidents import services
from incidents.choices import Channel
from incidents.models import Incident, NumberSequence
from incidents.numbers import format_number
from tests.fixtures.concurrency import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def counter() -> int:
    return NumberSequence.objects.get(name="incident").last_value


def create(reporter, title="VPN down"):
    return services.incident_create(title=title, reporter=reporter, via=Channel.PORTAL)


def test_the_saved_incident_holds_the_number_its_insert_drew(reporter):
    assert connection.vendor == "postgresql"
    before = counter()
    incident = create(reporter)
    assert incident.number == format_number(before + 1) == format_number(counter())
    assert Incident.objects.get(pk=incident.pk).number == incident.number
    assert incident.history.get().number == incident.number


def test_twenty_simultaneous_creates_draw_twenty_consecutive_numbers(reporter):
    before = counter()
    numbers, errors = run_together(20, lambda: create(reporter).number)
    assert errors == []
    assert sorted(numbers) == [format_number(before + n) for n in range(1, 21)]


def test_a_create_rolled_back_leaves_no_gap(reporter):
    before = counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        create(reporter)
        raise RuntimeError("the caller's transaction fails after the create")
    assert counter() == before
    assert create(reporter).number == format_number(before + 1)


def test_the_counter_row_is_made_on_first_use(reporter):
    NumberSequence.objects.filter(name="incident").delete()
    assert create(reporter).number == format_number(1001)
