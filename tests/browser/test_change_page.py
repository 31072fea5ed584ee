"""A responder works an incident on its change page in a real browser: the comments and
files tables, "Add another", a refused file shown as an error with the typed comment kept,
and the comment saved once the file is taken off."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from incidents import services
from incidents.choices import Channel
from tests.admin.conftest import change_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_responder_adds_a_comment_after_a_refused_file(
    page, screenshot, incident, responder, password, tmp_path
):
    services.incident_comment(
        incident=incident, author=responder, body="Looking into it.", via=Channel.ADMIN,
        public=True,
    )  # fmt: skip
    services.incident_comment(
        incident=incident, author=responder, body="Gateway logs show resets.",
        via=Channel.ADMIN, public=False,
    )  # fmt: skip
    services.incident_attach(
        incident=incident, actor=responder, via=Channel.ADMIN,
        files=[SimpleUploadedFile("tunnel.log", b"reset\n", "text/plain")],
    )  # fmt: skip
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(responder.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(change_url(incident))
    comments = page.locator("#comments-group")
    expect(comments.locator("tr.has_original")).to_have_count(2)
    expect(
        page.locator("#attachments-group").get_by_role("link", name="tunnel.log")
    ).to_be_visible()
    screenshot(page, "workspace")

    comments.get_by_text("Add another Comment").click()
    expect(comments.locator("#comments-3")).to_be_visible()  # a row copied from the empty one
    comments.locator("#comments-2 textarea").fill("Called the user back.")
    bad = tmp_path / "page.html"
    bad.write_text("<html><script>x</script></html>")
    page.locator("#attachments-group input[type=file]").first.set_input_files(str(bad))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("#attachments-group .errorlist")).to_contain_text("not accepted")
    expect(comments.locator("#comments-2 textarea")).to_have_value("Called the user back.")
    screenshot(page, "refused-file")

    page.locator("#attachments-group input[type=file]").first.set_input_files([])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".itsm-timeline")).to_contain_text("Called the user back.")
    assert incident.comments.filter(body="Called the user back.").exists()
