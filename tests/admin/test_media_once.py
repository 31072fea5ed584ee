"""A page's script and style tags, kept by the parts they were added up from, are the
tags Django renders for those parts, and other parts get their own."""

from django.contrib import admin
from django.forms.widgets import Media
from django.utils import translation

from incidents.models import Incident
from itsm.media_once import media_once


def test_the_tags_are_djangos_for_the_same_parts_and_others_for_other_parts():
    first = Media(js=["admin/js/core.js"], css={"all": ["a.css"]}) + Media(js=["b.js"])
    other = Media(js=["admin/js/core.js"], css={"all": ["a.css"]}) + Media(js=["c.js"])
    assert media_once(first) == first.render()
    assert media_once(first) == first.render()  # kept
    assert media_once(other) == other.render() != first.render()


def test_the_autocomplete_translation_follows_the_language(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    rendered = {}
    for language in ("en", "de"):
        with translation.override(language):
            media = admin.site._registry[Incident].get_form(request, None)().media
            rendered[language] = media_once(media)
            assert rendered[language] == media.render()
    assert "i18n/de.js" in rendered["de"] and "i18n/de.js" not in rendered["en"]
