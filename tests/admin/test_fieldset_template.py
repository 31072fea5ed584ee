"""Our admin/includes/fieldset.html (rows written out by itsm.templatetags.admin_rows)
renders exactly what Django's own template renders, with and without errors, for read-only
fields, help texts, checkboxes and lines of several fields."""

import copy
import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.urls import reverse

from tests.admin.conftest import change_url

DJANGOS = Path(django.contrib.admin.__file__).parent / "templates/admin/includes/fieldset.html"


def page(client, method, url, data=None) -> str:
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def djangos_fieldset(settings):
    """Render pages with Django's own fieldset template in place of ours."""

    def use():
        templates = copy.deepcopy(settings.TEMPLATES)
        templates[0]["APP_DIRS"] = False
        templates[0]["OPTIONS"]["loaders"] = [
            (
                "django.template.loaders.locmem.Loader",
                {"admin/includes/fieldset.html": DJANGOS.read_text()},
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ]
        settings.TEMPLATES = templates

    return use


@pytest.mark.parametrize(
    "method, where, data",
    [
        ("get", "change", None),
        ("get", "add", None),
        ("post", "add", {"title": "", "impact": "bogus", "urgency": "x"}),
        ("post", "change", {"title": "", "impact": "bogus", "assignee": "x"}),
    ],
)
def test_the_incident_pages_render_as_with_djangos_template(
    login, superuser, make_incident, djangos_fieldset, method, where, data
):
    client = login(superuser)
    incident = make_incident()
    url = change_url(incident) if where == "change" else reverse("admin:incidents_incident_add")
    ours = page(client, method, url, data)
    assert 'class="form-row' in ours
    djangos_fieldset()
    assert page(client, method, url, data) == ours


@pytest.mark.parametrize(
    "method, data",
    [("get", None), ("post", {"username": "", "email": "not an address", "is_active": "on"})],
)
def test_a_page_with_checkboxes_renders_as_with_djangos_template(
    login, superuser, djangos_fieldset, method, data
):
    client = login(superuser)
    url = reverse("admin:auth_user_change", args=[superuser.pk])
    ours = page(client, method, url, data)
    assert "checkbox-row" in ours and 'class="help' in ours
    djangos_fieldset()
    assert page(client, method, url, data) == ours
