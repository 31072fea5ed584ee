"""Find user-visible text in the project's templates that is not marked for translation.

Every template is split with Django's own lexer. Text outside {% translate %} and
{% blocktranslate %} is kept, with each tag or variable replaced by a marker; scripts,
styles and HTML comments go; visible attributes (title, alt, aria-label, placeholder)
count as text; other tags go. Whatever is left and has a letter is untranslated.
"""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", ".git", "var", "staticfiles", "bench"}
MARK = "\x00"
# Text that reads the same in every language: names, symbols, units.
ALLOWED = {
    "ITSM",
    "SLA",
    "API",
    "P1",
    "P2",
    "P3",
    "P4",
    "TOTP",
    "OpenID Connect",
    "Markdown",
    "E-mail",
}
VISIBLE_ATTRIBUTES = re.compile(
    r"""\b(?:title|alt|aria-label|placeholder)\s*=\s*(["'])(.*?)\1""", re.S | re.I
)
# A submit input shows its value (a <button>'s value is sent, never shown: its content is).
BUTTON_VALUE = re.compile(
    r"""^<input\b[^>]*\btype=["']submit["'][^>]*?\bvalue\s*=\s*(["'])(.*?)\1""", re.S | re.I
)
# Blocks that hold class names, colours or styles, never words.
NON_TEXT_BLOCKS = {"bodyclass", "extrastyle", "extrahead", "accent"}
BLOCK_OPENING = {"blocktranslate", "blocktrans"}
BLOCK_CLOSING = {"endblocktranslate", "endblocktrans"}
LETTER = re.compile(r"[^\W\d_]", re.U)
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")


def project_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("templates/**/*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.is_file() and not parts & SKIPPED_DIRS and path.suffix in {".html", ".txt"}:
            found.append(path)
    return sorted(found)


def _outside_translation(source: str) -> str:
    pieces, in_block, in_comment, skipping = [], False, False, 0
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        name = words[0] if words and token.token_type == TokenType.BLOCK else ""
        if in_comment:
            in_comment = name != "endcomment"
            continue
        if name == "block" and (skipping or words[1:2] and words[1] in NON_TEXT_BLOCKS):
            skipping += 1
        elif name == "endblock" and skipping:
            skipping -= 1
        if skipping:
            continue
        if in_block:
            in_block = name not in BLOCK_CLOSING
            continue
        if name == "comment":
            in_comment = True
        elif name in BLOCK_OPENING:
            in_block = True
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
        else:
            pieces.append(MARK)
    return "".join(pieces)


def _visible_text(markup: str) -> list[str]:
    markup = re.sub(r"<(script|style|pre|code)\b.*?</\1\s*>", MARK, markup, flags=re.S | re.I)
    markup = re.sub(r"<!--.*?-->", MARK, markup, flags=re.S)
    tags = re.findall(r"<[^>]*>", markup)
    texts = [m.group(2) for tag in tags for m in VISIBLE_ATTRIBUTES.finditer(tag)]
    texts += [m.group(2) for tag in tags for m in BUTTON_VALUE.finditer(tag)]
    markup = re.sub(r"<[^>]*>", MARK, markup)
    markup = re.sub(r"&#?\w+;", " ", markup)
    texts += markup.split(MARK)
    return [text.strip() for text in texts if text.strip()]


def untranslated(path: Path) -> list[str]:
    texts = _visible_text(_outside_translation(path.read_text()))
    return [
        text
        for text in texts
        if LETTER.search(COLOUR.sub("", text)) and " ".join(text.split()) not in ALLOWED
    ]
