"""The preferences page: opt out of non-essential updates, follow services."""

import pytest
from django.urls import reverse

from incidents.models import Service
from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

PAGE = "/notifications/preferences/"


@pytest.fixture
def catalogue(db):
    return [
        Service.objects.create(name=name, slug=name.lower())
        for name in ("Email", "Payroll", "Printing", "VPN")
    ]


def test_the_page_needs_a_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_notifications_address_leads_to_the_preferences(client, reporter):
    client.force_login(reporter)
    assert client.get("/notifications/")["Location"] == PAGE
    assert reverse("notifications:preferences") == PAGE


def test_the_page_shows_current_choices_in_a_fixed_number_of_queries(
    client, reporter, catalogue, django_assert_num_queries
):
    catalogue[3].subscribers.add(reporter)
    client.force_login(reporter)
    # session, user, preference, subscribed services, the service choices (exists + list),
    # the user's permissions (own + groups: is the staff note shown?)
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["receive_updates"] is True
    assert form.initial["services"] == [catalogue[3]]
    assert b"Payroll" in response.content


def test_opting_out_and_following_services_is_saved(client, reporter, catalogue):
    client.force_login(reporter)
    response = client.post(PAGE, {"services": [catalogue[0].pk, catalogue[3].pk]}, follow=True)
    assert b"Your notification preferences are saved." in response.content
    assert NotificationPreference.objects.get(user=reporter).receive_updates is False
    assert set(reporter.subscribed_services.all()) == {catalogue[0], catalogue[3]}
    client.post(PAGE, {"receive_updates": "on", "services": [catalogue[1].pk]})
    assert NotificationPreference.objects.get(user=reporter).receive_updates is True
    assert list(reporter.subscribed_services.all()) == [catalogue[1]]


def test_an_unknown_service_is_a_form_error_and_nothing_is_changed(client, reporter, catalogue):
    catalogue[0].subscribers.add(reporter)
    client.force_login(reporter)
    response = client.post(PAGE, {"services": ["999999", "not-a-number"]})
    assert response.status_code == 200
    assert response.context["form"].errors["services"]
    assert list(reporter.subscribed_services.all()) == [catalogue[0]]
    assert not NotificationPreference.objects.filter(user=reporter).exists()


def test_one_service_can_be_followed_and_unfollowed_from_a_portal_button(
    client, reporter, catalogue
):
    vpn = catalogue[3]
    url = reverse("notifications:service-subscription", args=[vpn.slug])
    client.force_login(reporter)
    response = client.post(url, {"next": "/portal/"})
    assert response["Location"] == "/portal/"
    assert reporter in vpn.subscribers.all()
    response = client.post(url, {"subscribe": "0", "next": "https://evil.example/"})
    assert response["Location"] == PAGE
    assert reporter not in vpn.subscribers.all()


def test_following_needs_a_post_and_an_active_service(client, reporter, catalogue):
    client.force_login(reporter)
    url = reverse("notifications:service-subscription", args=["vpn"])
    assert client.get(url).status_code == 405
    Service.objects.filter(slug="vpn").update(active=False)
    assert client.post(url).status_code == 404
    assert (
        client.post(reverse("notifications:service-subscription", args=["nope"])).status_code == 404
    )


def test_hearing_of_ones_own_changes_is_off_until_chosen_and_then_saved(client, reporter):
    client.force_login(reporter)
    assert client.get(PAGE).context["form"].initial["own_actions"] is False
    client.post(PAGE, {"receive_updates": "on", "own_actions": "on"})
    assert NotificationPreference.objects.get(user=reporter).own_actions is True
    assert client.get(PAGE).context["form"].initial["own_actions"] is True
    client.post(PAGE, {"receive_updates": "on"})
    assert NotificationPreference.objects.get(user=reporter).own_actions is False
