"""The German and French catalogs are complete, and the committed .mo files match them."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.po import read_po

LOCALE = Path(settings.BASE_DIR) / "locale"
SHIPPED = ["de", "fr"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ ?\w+ ?\}\}")


def _entries(lang: str):
    return [entry for entry in read_po(LOCALE / lang / "LC_MESSAGES" / "django.po") if entry.msgid]


def test_every_shipped_language_is_offered():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[0] == settings.LANGUAGE_CODE
    assert set(SHIPPED) <= set(codes)


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    entries = _entries(lang)
    assert len(entries) > 500
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == [], "Run `make messages` and translate these"


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_every_placeholder_of_the_english(lang):
    wrong = [
        entry.msgid
        for entry in _entries(lang)
        for text in entry.msgstr.values()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid))
        and not entry.msgid_plural
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_compiled_catalog_is_in_step_with_the_po_file(lang):
    """`make compilemessages` after every .po change: the .mo is what Django reads."""
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in _entries(lang):
        if entry.msgid_plural:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr[0]
    compiled_messages = {key: value for key, value in catalog.items() if key != ""}
    assert compiled_messages == expected, "Run `make compilemessages` and commit the .mo files"
