"""A query compiled once per process runs with each caller's value, not the first one's."""

import pytest
from django.db.models import Exists, OuterRef

from incidents.models import Comment, Incident
from itsm.compiled_once import first_row_once

pytestmark = pytest.mark.django_db


def numbers_and_comments(pk):
    has_comments = Exists(Comment.objects.filter(incident=OuterRef("pk")))
    return Incident.objects.filter(pk=pk).annotate(c=has_comments).values_list("number", "c")


def test_each_call_reads_the_row_of_its_own_value(make_incident, responder):
    quiet, busy = make_incident(title="Quiet"), make_incident(title="Busy")
    Comment.objects.create(incident=busy, author=responder, body="On it")
    key = "test:numbers-and-comments"
    found = [first_row_once(key, numbers_and_comments, pk) for pk in (quiet.pk, busy.pk, 0)]
    assert [(row[0], bool(row[1])) if row else None for row in found] == [
        (quiet.number, False),
        (busy.number, True),
        None,
    ]


def test_a_query_that_does_not_carry_the_value_once_is_left_to_the_orm(make_incident):
    first, second = make_incident(title="First"), make_incident(title="Second")

    def twice(pk):
        return Incident.objects.filter(pk=pk, id__gte=pk).values_list("title")

    assert first_row_once("test:twice", twice, first.pk) == ("First",)
    assert first_row_once("test:twice", twice, second.pk) == ("Second",)
