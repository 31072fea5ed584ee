import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.choices import Channel
from incidents.models import Attachment
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def comment(client, incident, **body):
    return client.post(url(f"incidents/{incident.number}/comments/"), body, format="json")


def upload(client, incident, name="shot.png", content=PNG, **extra):
    return client.post(
        url(f"incidents/{incident.number}/attachments/"),
        {"file": SimpleUploadedFile(name, content), **extra},
        format="multipart",
    )


def test_staff_write_work_notes_that_end_users_never_see(responder_api, reporter_api, incident):
    assert comment(responder_api, incident, body="Checked the logs").status_code == 201
    assert comment(responder_api, incident, body="We are on it", public=True).status_code == 201
    staff_view = responder_api.get(url(f"incidents/{incident.number}/comments/")).json()
    user_view = reporter_api.get(url(f"incidents/{incident.number}/comments/")).json()
    assert [c["body"] for c in staff_view] == ["Checked the logs", "We are on it"]
    assert [c["body"] for c in user_view] == ["We are on it"]


def test_an_end_users_comment_is_always_public_and_by_them(reporter_api, incident):
    response = comment(reporter_api, incident, body="Still down", public=False)
    assert response.status_code == 201
    assert response.json()["public"] is True
    assert response.json()["author"] == "alice" and response.json()["channel"] == "api"


def test_an_empty_comment_is_400(reporter_api, incident):
    response = comment(reporter_api, incident, body="   ")
    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_end_users_cannot_comment_on_a_closed_incident(reporter_api, incident, responder):
    services.incident_cancel(incident=incident, actor=responder, via=Channel.ADMIN)
    assert comment(reporter_api, incident, body="Hello?").status_code == 409


def test_comments_of_someone_elses_incident_are_404(other_reporter_api, incident):
    assert other_reporter_api.get(url(f"incidents/{incident.number}/comments/")).status_code == 404
    assert comment(other_reporter_api, incident, body="Me too").status_code == 404


def test_staff_read_the_full_history_with_field_changes(responder_api, responder, incident):
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    services.incident_comment(
        incident=incident, author=responder, body="internal", via=Channel.ADMIN, public=False
    )
    entries = responder_api.get(url(f"incidents/{incident.number}/history/")).json()
    acknowledged = next(e for e in entries if e["title"] == "Acknowledged via Admin")
    assert {"field": "status", "old": "new", "new": "acknowledged"} in acknowledged["changes"]
    assert any(e["body"] == "internal" for e in entries)


def test_end_users_get_only_the_public_part_of_the_history(reporter_api, responder, incident):
    services.incident_comment(
        incident=incident, author=responder, body="internal", via=Channel.ADMIN, public=False
    )
    services.incident_comment(
        incident=incident, author=responder, body="public news", via=Channel.ADMIN, public=True
    )
    entries = reporter_api.get(url(f"incidents/{incident.number}/history/")).json()
    assert [e["body"] for e in entries] == ["public news"]
    assert all(e["public"] and not e["changes"] for e in entries)


def test_an_upload_is_stored_and_downloaded_as_an_attachment(reporter_api, incident):
    response = upload(reporter_api, incident)
    assert response.status_code == 201, response.json()
    [data] = response.json()
    assert (data["name"], data["content_type"], data["size"]) == ("shot.png", "image/png", 72)
    download = reporter_api.get(data["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith('attachment; filename="shot.png"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "image/png"  # as validated on upload


def test_a_file_over_the_limit_is_413(reporter_api, incident, settings):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 50
    response = upload(reporter_api, incident)
    assert response.status_code == 413
    assert response.json()["code"] == "attachment_too_large"
    assert not Attachment.objects.exists()


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(
    reporter_api, incident, settings
):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 10
    response = upload(reporter_api, incident, content=PNG + b"\x00" * 70 * 1024)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    ("name", "content"),
    [("page.html", b"<html><script>alert(1)</script>"), ("fake.png", b"GIF89a..."), ("e.txt", b"")],
)
def test_dangerous_mismatched_or_empty_files_are_400(reporter_api, incident, name, content):
    response = upload(reporter_api, incident, name=name, content=content)
    assert response.status_code == 400
    assert "attachment" in response.json()["errors"]


def test_uploads_must_be_multipart(reporter_api, incident):
    response = reporter_api.post(
        url(f"incidents/{incident.number}/attachments/"), {"file": "x"}, format="json"
    )
    assert response.status_code == 415


def test_an_upload_without_a_file_is_400(reporter_api, incident):
    response = reporter_api.post(
        url(f"incidents/{incident.number}/attachments/"), {}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_internal_files_are_hidden_from_end_users(responder_api, reporter_api, incident):
    [data] = upload(responder_api, incident, public="false").json()
    assert data["public"] is False
    listing = reporter_api.get(url(f"incidents/{incident.number}/attachments/")).json()
    assert listing == []
    assert reporter_api.get(data["download_url"]).status_code == 404
    assert responder_api.get(data["download_url"]).status_code == 200


def test_someone_elses_files_are_404(reporter_api, other_reporter_api, incident):
    [data] = upload(reporter_api, incident).json()
    assert other_reporter_api.get(data["download_url"]).status_code == 404
    assert upload(other_reporter_api, incident).status_code == 404


def test_a_missing_attachment_is_404_in_json(reporter_api, incident):
    response = reporter_api.get(
        url(f"incidents/{incident.number}/attachments/99999999999999999999999/download/")
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_timeline_says_an_incident_went_to_the_fallback_team_to_staff_only(
    responder_api, reporter_api, make_incident
):
    number = make_incident().number
    entries = responder_api.get(url(f"incidents/{number}/history/")).json()
    routed = [e for e in entries if e["kind"] == "routing"]
    assert [e["title"] for e in routed] == [
        "Routed to the fallback team Service desk (no owner team, no matching rule)"
    ]
    mine = reporter_api.get(url(f"incidents/{number}/history/")).json()
    assert not [e for e in mine if e["kind"] == "routing"]
