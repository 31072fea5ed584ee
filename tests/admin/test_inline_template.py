"""The comment and attachment tables (incidents/templates/admin/incidents/edit_inline/
append_only.html, rows written out by incidents.templatetags.inline_rows) render exactly
what Django's tabular inline template renders: stored rows, the new row and the empty row
"Add another" copies, the management form, and the errors of a refused comment or file."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.admin.inlines import AttachmentInline, CommentInline
from incidents.choices import Channel
from tests.admin.conftest import change_url
from tests.admin.test_change_page import form_data

pytestmark = pytest.mark.django_db

ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates"
DJANGOS = "admin/edit_inline/tabular.html"
OURS = Path(__file__).resolve().parents[2] / (
    "incidents/templates/admin/incidents/edit_inline/append_only.html"
)
LOOP = re.compile(
    r"{% for inline_admin_form in inline_admin_formset %}.*?{% endfor %}(?=\n\s*</tbody>)", re.S
)


def test_our_template_is_djangos_with_only_the_rows_replaced():
    """A Django upgrade that changes its tabular template fails here: the copy and the
    rows written in Python must then be brought in line with it."""
    djangos = (ADMIN_TEMPLATES / DJANGOS).read_text()
    expected = LOOP.sub("{% inline_rows inline_admin_formset %}", djangos, count=1).replace(
        "{% load i18n admin_urls static admin_modify %}",
        "{% load i18n admin_urls static admin_modify inline_rows %}",
        1,
    )
    assert expected != djangos
    assert OURS.read_text() == expected


@pytest.fixture
def busy_incident(incident, responder):
    """An incident with a public update, a work note and a file."""
    for body, public in (("Looking into it <now>.", True), ("Gateway logs\nsecond line", False)):
        services.incident_comment(
            incident=incident, author=responder, body=body, via=Channel.ADMIN, public=public
        )
    services.incident_attach(
        incident=incident, actor=responder, via=Channel.ADMIN,
        files=[SimpleUploadedFile("tunnel.log", b"reset\n", "text/plain")],
    )  # fmt: skip
    return incident


def page(client, method, url, data=None) -> str:
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def refused(incident) -> dict:
    """A comment of an unknown kind and a file type that is not accepted."""
    upload = SimpleUploadedFile("page.html", b"<html><script>x</script>", "text/html")
    return form_data(
        incident, **{"comments-2-body": "Typed <text>", "comments-2-kind": "bogus",
                     "attachments-1-upload": upload}
    )  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_comment_and_file_tables_render_as_with_djangos_template(
    login, responder, busy_incident, monkeypatch, method
):
    client = login(responder)
    url = change_url(busy_incident)
    data = refused(busy_incident) if method == "post" else None
    ours = page(client, method, url, data)
    assert 'id="comments-empty"' in ours and 'id="attachments-0"' in ours
    assert 'name="comments-TOTAL_FORMS"' in ours and "tunnel.log" in ours
    if method == "post":
        assert ours.count('class="errorlist') >= 2 and "Typed &lt;text&gt;" in ours
    for inline in (CommentInline, AttachmentInline):
        monkeypatch.setattr(inline, "template", DJANGOS)
    assert page(client, method, url, refused(busy_incident) if data else None) == ours
