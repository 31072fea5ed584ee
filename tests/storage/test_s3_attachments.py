"""Attachments in an S3-compatible bucket (ITSM_STORAGE=s3), through every door.

The server is a real moto_server process; nothing is mocked inside the product.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents import services
from incidents.choices import Channel
from incidents.roles import RESPONDERS
from tests.storage.conftest import PNG

pytestmark = pytest.mark.django_db


def _keys(s3_client, bucket) -> list[str]:
    return [item["Key"] for item in s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def _api(user) -> APIClient:
    client = APIClient()
    _, secret = api_token_create(user=user, name="storage tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def stored(s3_storage, incident, reporter, png):
    return services.incident_attach(
        incident=incident, actor=reporter, files=[png()], via=Channel.PORTAL
    )[0]


def test_a_portal_upload_lands_in_the_bucket_and_never_on_the_local_disk(
    s3_storage, s3_client, settings, client_for, reporter, incident, png
):
    page = client_for(reporter).post(
        incident.get_absolute_url(), {"body": "screenshot", "attachment": png()}
    )
    assert page.status_code in (200, 302)
    attachment = incident.attachments.get()
    assert _keys(s3_client, s3_storage) == [attachment.file.name]
    body = s3_client.get_object(Bucket=s3_storage, Key=attachment.file.name)["Body"].read()
    assert body == PNG
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_the_reporter_downloads_the_file_streamed_from_the_bucket(stored, client_for, reporter):
    url = reverse("portal:attachment-download", args=[stored.incident.number, stored.pk])
    response = client_for(reporter).get(url)
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Length"] == str(len(PNG))
    assert response["Content-Disposition"].startswith('attachment; filename="screen.png"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_someone_who_may_not_see_the_incident_is_denied_the_file_at_every_door(
    stored, client_for, other_reporter, make_user
):
    incident = stored.incident
    portal = client_for(other_reporter).get(
        reverse("portal:attachment-download", args=[incident.number, stored.pk])
    )
    api = _api(other_reporter).get(
        f"/api/v1/incidents/{incident.number}/attachments/{stored.pk}/download/"
    )
    staff_without_role = client_for(make_user("visitor", staff=True)).get(
        reverse("admin:incidents_incident_attachment", args=[incident.pk, stored.pk])
    )
    assert portal.status_code == 404
    assert api.status_code == 404
    assert staff_without_role.status_code in (403, 404)
    for response in (portal, api, staff_without_role):
        assert PNG not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_an_internal_file_in_the_bucket_is_denied_to_the_reporter_but_not_to_a_responder(
    s3_storage, incident, responder, reporter, client_for, png
):
    internal = services.incident_attach(
        incident=incident,
        actor=responder,
        files=[png("trace.png")],
        via=Channel.ADMIN,
        public=False,
    )[0]
    url = reverse("portal:attachment-download", args=[incident.number, internal.pk])
    assert client_for(reporter).get(url).status_code == 404
    assert b"".join(client_for(responder).get(url).streaming_content) == PNG


def test_every_door_sends_the_same_bytes_and_headers_from_the_bucket(
    stored, client_for, responder, reporter
):
    incident = stored.incident
    responses = [
        client_for(reporter).get(
            reverse("portal:attachment-download", args=[incident.number, stored.pk])
        ),
        client_for(responder).get(
            reverse("admin:incidents_incident_attachment", args=[incident.pk, stored.pk])
        ),
        _api(reporter).get(
            f"/api/v1/incidents/{incident.number}/attachments/{stored.pk}/download/"
        ),
    ]
    headers = ("Content-Type", "Content-Disposition", "Content-Security-Policy")
    assert all(r.status_code == 200 for r in responses)
    assert {tuple(r[h] for h in headers) for r in responses} == {
        ("image/png", 'attachment; filename="screen.png"', "default-src 'none'; sandbox")
    }
    assert all("no-store" in r["Cache-Control"] for r in responses)  # the admin adds no-cache
    assert all(b"".join(r.streaming_content) == PNG for r in responses)


def test_a_file_gone_from_the_bucket_is_not_found_not_a_server_error(
    stored, s3_client, s3_storage, client_for, reporter
):
    s3_client.delete_object(Bucket=s3_storage, Key=stored.file.name)
    url = reverse("portal:attachment-download", args=[stored.incident.number, stored.pk])
    assert client_for(reporter).get(url).status_code == 404


def test_objects_are_private_and_a_presigned_url_lives_under_a_minute(
    stored, s3_client, s3_storage
):
    acl = s3_client.get_object_acl(Bucket=s3_storage, Key=stored.file.name)
    grantees = {grant["Grantee"].get("URI") for grant in acl["Grants"]}
    assert not grantees & {
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    }
    url = stored.file.url
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=30" in url


def test_a_responder_added_later_reads_files_uploaded_before(stored, make_user, client_for):
    """Nothing is per process: a file written by one request is read by any other."""
    newcomer = make_user("newcomer", staff=True)
    newcomer.groups.add(Group.objects.get(name=RESPONDERS))
    url = reverse("admin:incidents_incident_attachment", args=[stored.incident.pk, stored.pk])
    assert b"".join(client_for(newcomer).get(url).streaming_content) == PNG
