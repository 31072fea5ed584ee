import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signing_in_with_username_and_password_lands_on_the_portal(client, reporter, password):
    page = client.get(reverse("login")).content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_a_wrong_password_is_refused_and_the_username_kept(client, reporter):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in page
    assert 'value="alice"' in page


def test_signing_in_returns_to_the_page_asked_for(client, reporter, password):
    response = client.post(
        reverse("login") + "?next=/portal/incidents/",
        {"username": "alice", "password": password, "next": "/portal/incidents/"},
    )
    assert response["Location"] == "/portal/incidents/"


def test_signing_out_takes_a_post_and_ends_the_session(alice):
    assert alice.get(reverse("logout")).status_code == 405
    response = alice.post(reverse("logout"), follow=True)
    assert "You are signed out." in response.content.decode()
    assert alice.get(reverse("portal:home")).status_code == 302


def test_a_user_changes_their_password(alice, reporter, password):
    response = alice.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-better-passphrase",
            "new_password2": "a-much-better-passphrase",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    reporter.refresh_from_db()
    assert reporter.check_password("a-much-better-passphrase")


def test_a_weak_new_password_is_refused_next_to_its_field(alice, password):
    response = alice.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "123", "new_password2": "123"},
    )
    assert 'id="id_new_password2_error"' in response.content.decode()


def test_a_forgotten_password_is_reset_through_a_link_by_email(client, reporter, settings):
    settings.SITE_URL = "https://itsm.example.org"
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    link = re.search(r"https://itsm\.example\.org(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-long-passphrase", "new_password2": "fresh-long-passphrase"},
    )
    reporter.refresh_from_db()
    assert reporter.check_password("fresh-long-passphrase")


def test_signing_up_is_off_by_default(client):
    assert client.get(reverse("signup")).status_code == 404
    assert reverse("signup") not in client.get(reverse("login")).content.decode()


def test_when_allowed_a_person_signs_up_and_is_signed_in(client, settings):
    settings.ITSM_ALLOW_SIGNUP = True
    assert reverse("signup") in client.get(reverse("login")).content.decode()
    response = client.post(
        reverse("signup"),
        {
            "username": "carol",
            "first_name": "Carol",
            "last_name": "C",
            "email": "carol@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
        follow=True,
    )
    assert "Welcome, Carol" in response.content.decode()
    user = get_user_model().objects.get(username="carol")
    assert not user.is_staff and not user.groups.exists()


def test_signing_up_with_an_address_already_used_is_refused(client, settings, reporter):
    settings.ITSM_ALLOW_SIGNUP = True
    response = client.post(
        reverse("signup"),
        {
            "username": "alice2",
            "first_name": "A",
            "email": "ALICE@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert "already exists" in response.content.decode()
    assert not get_user_model().objects.filter(username="alice2").exists()


def test_a_weak_new_password_gets_the_cursor_and_the_old_one_does_not(alice, password):
    response = alice.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "abc", "new_password2": "abc"},
    )
    page = response.content.decode()
    assert page.count(" autofocus") == 1
    assert "autofocus" in page[page.index('name="new_password2"') :].split(">", 1)[0]
