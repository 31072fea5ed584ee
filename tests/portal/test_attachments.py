import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_file(incident, reporter, png):
    return services.incident_attach(
        incident=incident, actor=reporter, files=[png()], via=Channel.PORTAL
    )[0]


@pytest.fixture
def private_file(incident, responder, png):
    return services.incident_attach(
        incident=incident,
        actor=responder,
        files=[png("trace.png")],
        via=Channel.ADMIN,
        public=False,
    )[0]


def download(client, attachment):
    url = reverse("portal:attachment-download", args=[attachment.incident.number, attachment.pk])
    return client.get(url)


def test_a_public_file_downloads_as_an_attachment_never_sniffed(alice, public_file):
    response = download(alice, public_file)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="screen.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_internal_file_is_not_found_for_the_reporter(alice, private_file):
    assert download(alice, private_file).status_code == 404
    page = alice.get(private_file.incident.get_absolute_url()).content.decode()
    assert "trace.png" not in page


def test_staff_can_download_an_internal_file(client_for, responder, private_file):
    assert download(client_for(responder), private_file).status_code == 200


def test_a_stranger_cannot_download_any_file(client_for, other_reporter, public_file):
    assert download(client_for(other_reporter), public_file).status_code == 404


def test_a_file_of_another_incident_is_not_found(alice, public_file, make_incident):
    other = make_incident(title="Another")
    url = reverse("portal:attachment-download", args=[other.number, public_file.pk])
    assert alice.get(url).status_code == 404
