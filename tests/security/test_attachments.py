"""Files: served only by permission-checked downloads that a browser never renders, checked
by the one validator on every way in (portal report and comment, admin, API, e-mail),
stored under server-generated names in a folder nobody else can write and no URL serves."""

import os
import re
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents import services
from incidents.choices import Channel
from incidents.models import Attachment, Incident
from tests.admin.test_change_page import form_data
from tests.security.conftest import PNG

pytestmark = pytest.mark.django_db

# (file name, content): each must be refused by every path.
HOSTILE_FILES = [
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("page.htm", b"<p onclick=alert(1)>hi</p>"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("app.js", b"alert(document.cookie)"),
    ("page.xhtml", b"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script>"),
    ("photo.png", b"<html><script>alert(1)</script></html>"),  # a page named as an image
    ("notes.txt", b"hello <script>alert(1)</script>"),  # a page named as text
    ("notes.txt", b"<!DOCTYPE html><title>x</title>"),
    ("data.json", b'{"a": "<svg onload=alert(1)>"}'),
    ("report.pdf.html", b"%PDF-<script>alert(1)</script>"),
    ("invoice\u202egnp.exe", b"MZ\x90\x00"),  # right-to-left override hides .exe
    ("setup.exe", b"MZ\x90\x00\x03"),
    ("shell.php", b"<?php system($_GET['c']); ?>"),
    ("README", b"no extension"),
    ("empty.txt", b""),
]
IDS = [
    f"{n}-{name.encode('ascii', 'replace').decode()}" for n, (name, _) in enumerate(HOSTILE_FILES)
]


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


@pytest.mark.parametrize("name,content", HOSTILE_FILES, ids=IDS)
def test_the_portal_report_form_refuses_a_hostile_file_with_a_clear_message(
    name, content, browser_for, service, settings
):
    data = {
        "title": "Printer jams",
        "description": "Tray 2",
        "service": str(service.pk),
        "impact": "low",
        "urgency": "low",
        "attachment": SimpleUploadedFile(name, content, "text/html"),
    }
    response = browser_for("alice").post("/portal/report/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not accepted" in page or "does not look like" in page or "is empty" in page
    assert 'value="Printer jams"' in page  # what the user typed is kept
    assert not Incident.objects.exists() and not _stored_files(settings)


@pytest.mark.parametrize("name,content", HOSTILE_FILES, ids=IDS)
def test_a_portal_comment_refuses_a_hostile_file(name, content, browser_for, world, settings):
    before = set(_stored_files(settings))
    data = {"body": "See file", "attachment": SimpleUploadedFile(name, content, "text/plain")}
    response = browser_for("alice").post(world.incident.get_absolute_url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not accepted" in page or "does not look like" in page or "is empty" in page
    assert world.incident.attachments.count() == 2 and world.incident.comments.count() == 2
    assert set(_stored_files(settings)) == before


@pytest.mark.parametrize("name,content", HOSTILE_FILES, ids=IDS)
def test_the_api_refuses_a_hostile_file_with_400(name, content, api_for, world):
    url = f"/api/v1/incidents/{world.incident.number}/attachments/"
    response = api_for("agent").post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400, response.content
    assert response.json()["message"]
    assert world.incident.attachments.count() == 2


@pytest.mark.parametrize("name,content", HOSTILE_FILES, ids=IDS)
def test_the_admin_refuses_a_hostile_file_and_keeps_the_edit_unsaved(
    name, content, browser_for, incident, settings
):
    upload = SimpleUploadedFile(name, content, "text/html")
    data = form_data(incident, title="Edited", **{"attachments-0-upload": upload})
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    response = browser_for("agent").post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not accepted" in page or "does not look like" in page or "is empty" in page
    assert Incident.objects.get(pk=incident.pk).title == "VPN down"
    assert not incident.attachments.exists() and not _stored_files(settings)


@pytest.mark.parametrize("name,content", HOSTILE_FILES, ids=IDS)
def test_an_e_mail_attachment_is_checked_by_the_same_validator(name, content, reporter):
    from email_intake.services import ingest_message
    from tests.email_intake.conftest import eml

    raw = eml(sender=reporter.email, attachments=[(name, "application", "octet-stream", content)])
    result = ingest_message(raw)
    incident = Incident.objects.get()
    assert not incident.attachments.exists()
    assert "Attachment not accepted" in incident.description
    assert result.refused_attachments


def test_too_large_files_are_refused_everywhere_with_the_limit_in_the_message(
    settings, browser_for, api_for, world, reporter
):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 1024
    big = PNG + b"\x00" * 2048
    page = browser_for("alice").post(
        world.incident.get_absolute_url(),
        {"body": "big", "attachment": SimpleUploadedFile("big.png", big)},
    )
    assert "files may be at most 1.0\xa0KB" in page.content.decode()
    url = f"/api/v1/incidents/{world.incident.number}/attachments/"
    answer = api_for("alice").post(url, {"file": SimpleUploadedFile("big.png", big)})
    assert answer.status_code == 413 and "at most" in answer.json()["message"]
    huge = api_for("alice").post(url, {"file": SimpleUploadedFile("huge.png", big * 40)})
    assert huge.status_code == 413
    assert world.incident.attachments.count() == 2


def test_downloads_on_every_path_are_attachments_never_sniffed(world, browser_for, api_for):
    incident, file = world.incident, world.public_file
    downloads = [
        browser_for("alice").get(f"/portal/incidents/{incident.number}/files/{file.pk}/"),
        browser_for("agent").get(
            reverse("admin:incidents_incident_attachment", args=[incident.pk, file.pk])
        ),
        api_for("alice").get(
            f"/api/v1/incidents/{incident.number}/attachments/{file.pk}/download/"
        ),
    ]
    for response in downloads:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "html" not in response["Content-Type"]
        assert b"".join(response.streaming_content) == PNG


def test_storage_names_are_generated_by_the_server_whatever_the_upload_was_called(
    world, settings, reporter
):
    names = ["../../../etc/cron.d/x.txt", "..\\..\\boot.ini.txt", "a b;c'$(id).png", "é.PNG"]
    uploads = [
        SimpleUploadedFile(name, PNG if name.lower().endswith(".png") else b"text")
        for name in names
    ]
    stored = services.incident_attach(
        incident=world.incident, actor=reporter, files=uploads, via=Channel.PORTAL
    )
    for attachment in stored:
        assert re.fullmatch(r"attachments/[0-9a-f]{32}\.(txt|png)", attachment.file.name)
        real = os.path.realpath(attachment.file.path)
        assert real.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)


def test_a_file_name_with_quotes_and_line_breaks_downloads_with_a_safe_header(
    world, reporter, browser_for
):
    upload = SimpleUploadedFile('evil"\r\nSet-Cookie: a=b;\r\n.txt', b"text")
    (attachment,) = services.incident_attach(
        incident=world.incident, actor=reporter, files=[upload], via=Channel.PORTAL
    )
    url = f"/portal/incidents/{world.incident.number}/files/{attachment.pk}/"
    response = browser_for("alice").get(url)
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\n" not in header and "\r" not in header
    assert "Set-Cookie" not in response.headers and not response.cookies.get("a")


def test_uploaded_files_are_reachable_under_no_public_url(world, browser_for, settings):
    name = world.public_file.file.name
    client = browser_for("manager")
    for url in (settings.MEDIA_URL + name, f"/media/{name}", f"/static/../{name}", f"/{name}"):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert PNG not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_uploaded_files_and_folders_are_not_world_readable_or_writable(world):
    path = world.public_file.file.path
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o007 == 0
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) & 0o002 == 0


def test_an_attachment_is_never_served_through_another_incidents_url(world, api_for):
    other = world.other_file
    url = f"/api/v1/incidents/{world.incident.number}/attachments/{other.pk}/download/"
    assert api_for("agent").get(url).status_code == 404
    assert Attachment.objects.filter(pk=other.pk).exists()
