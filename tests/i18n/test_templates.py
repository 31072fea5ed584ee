"""Every user-visible text in the project's templates is marked for translation."""

from pathlib import Path

import pytest

from tests.i18n.untranslated import ROOT, project_templates, untranslated


def _untranslated_in(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "page.html"
    path.write_text(text)
    return untranslated(path)


def test_no_project_template_has_untranslated_text():
    found = {
        str(path.relative_to(ROOT)): texts
        for path in project_templates()
        if (texts := untranslated(path))
    }
    assert found == {}, "Mark these with {% translate %} or {% blocktranslate %}"


def test_the_check_reads_every_app_template_and_no_installed_package():
    paths = [str(path.relative_to(ROOT)) for path in project_templates()]
    assert "portal/templates/portal/base.html" in paths
    assert "notifications/templates/notifications/email/created-body.txt" in paths
    assert not any(path.startswith(".venv") for path in paths)


@pytest.mark.parametrize(
    "template",
    [
        "<p>Hello</p>",
        '<button aria-label="Close">×</button>',
        '<img src="a.png" alt="A chart">',
        '<input type="submit" value="Save">',
        "{% block title %}Reports{% endblock %}",
        "{% load i18n %}{% translate 'Hi' %} there",
    ],
)
def test_the_check_finds_text_that_is_not_marked(template, tmp_path):
    assert _untranslated_in(template, tmp_path)


@pytest.mark.parametrize(
    "template",
    [
        "{% load i18n %}<p>{% translate 'Hello' %}</p>",
        "{% load i18n %}<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>",
        "{% load i18n %}<nav aria-label=\"{% translate 'Main' %}\"></nav>",
        "{# a note #}{% comment %}Many words here{% endcomment %}<p>{{ value }}</p>",
        "<style>body { color: red; }</style><script>let x = 'words';</script>",
        '<td style="background:#2563eb">{{ n }} · &rsaquo;</td>',
        "<pre>curl -X POST</pre>",
    ],
)
def test_the_check_accepts_marked_text_markup_and_code(template, tmp_path):
    assert _untranslated_in(template, tmp_path) == []
