"""The demo data includes published articles on the demo services, one for staff only."""

import pytest
from django.core.management import call_command
from django.test import Client

from knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_the_demo_has_articles_readable_in_the_portal_and_seeding_twice_adds_none():
    call_command("seed_demo", "--password", "demo-pass-2026", verbosity=0)
    call_command("seed_demo", "--password", "demo-pass-2026", verbosity=0)
    assert Article.objects.published().count() == 5
    assert Article.objects.filter(audience="staff").count() == 1
    page = Client().get("/portal/kb/", {"q": "vpn token"})
    assert [a.title for a in page.context["page"].object_list][0] == "VPN token expired or rejected"
