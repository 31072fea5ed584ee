"""A number past any id posted where a form lists rows to choose from is an invalid
choice, on every database (SQLite cannot even bind it), in admin inlines and in forms
that declare their own field, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_an_escalation_step_naming_a_person_past_any_id_is_refused(client, manager, team):
    client.force_login(manager)
    base = {
        "team": team.pk, "name": "Network", "page_priorities": ["P1"], "repeat": 0,
        "active": "on", "steps-TOTAL_FORMS": 1, "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 1, "steps-MAX_NUM_FORMS": 1000,
        "steps-0-position": 1, "steps-0-delay_minutes": 5,
    }  # fmt: skip
    for field in ("users", "schedules"):
        response = client.post(
            reverse("admin:paging_escalationpolicy_add"), {**base, f"steps-0-{field}": HUGE}
        )
        assert response.status_code == 200
        errors = response.context["inline_admin_formsets"][0].formset.errors[0]
        assert field in errors, (field, errors)
