"""Turning the bytes of an RFC 822 message into a `ParsedMessage`, with no database access.

Headers are decoded (RFC 2047 words, RFC 2231 file names) and folded to one line, so a CR or
LF smuggled into an encoded subject can never reach a header we write later. The body is the
plain-text part, else the HTML part reduced to text (tags dropped, never kept as markup), with
the quoted history of a reply trimmed off.
"""

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from html.parser import HTMLParser
from pathlib import PurePosixPath

from itsm.text import scrub_text

FILENAME_MAX = 200
MESSAGE_ID_MAX = 250
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# "On 6 Jan 2026, at 10:00, Alice <alice@example.com> wrote:" - a date (a digit) is required,
# so a sentence such as "On the form the user wrote:" is kept.
_QUOTE_HEADER = re.compile(r"^\s*On\b.*\d.*\bwrote:\s*$", re.IGNORECASE | re.DOTALL)
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE)


class UnreadableMessage(ValueError):
    """The input is not an e-mail message at all (empty, or no header block)."""


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes

    def __post_init__(self):
        self.filename = scrub_text(self.filename)


@dataclass
class ParsedMessage:
    """What the intake needs from one message; every text field is already clean."""

    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    references: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"

    def __post_init__(self):
        """A NUL or an unpaired surrogate (undecodable header bytes come out as those) cannot
        be stored; refusing would lose the message, so they become U+FFFD (itsm.text)."""
        for name in ("message_id", "sender", "sender_name", "subject", "body", "content_type"):
            setattr(self, name, scrub_text(getattr(self, name)))
        self.references = [scrub_text(reference) for reference in self.references]
        self.headers = {name: scrub_text(value) for name, value in self.headers.items()}


def one_line(value) -> str:
    """Header-safe text: control characters (CR, LF, NUL, tabs) and runs of spaces become
    single spaces."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one message. Raises UnreadableMessage when `raw` holds no e-mail at all."""
    if not raw or not raw.strip():
        raise UnreadableMessage("The input is empty.")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not message.keys():
        raise UnreadableMessage("The input has no e-mail headers.")
    sender_name, sender = _sender(message)
    body_part = _body_part(message)
    return ParsedMessage(
        message_id=_message_id(message, raw),
        sender=sender,
        sender_name=sender_name,
        subject=header(message, "Subject"),
        body=_body_text(body_part),
        references=_references(message),
        attachments=_attachments(message, body_part),
        headers={name: header(message, name) for name in LOOP_HEADERS if name in message},
        content_type=message.get_content_type(),
    )


# Headers that tell an automatic message (auto-reply, bounce, list traffic) from a person's.
LOOP_HEADERS = (
    "Auto-Submitted",
    "Precedence",
    "Return-Path",
    "X-Autoreply",
    "X-Autorespond",
    "List-Id",
)


def header(message: EmailMessage, name: str) -> str:
    """The decoded value of a header on one line; empty when missing."""
    try:
        value = message.get(name)
    except Exception:  # a malformed header must not make the whole message unreadable
        value = _raw_decoded(message, name)
    return one_line(value) if value is not None else ""


def _raw_decoded(message: EmailMessage, name: str) -> str:
    raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    try:
        return str(make_header(decode_header(raw)))
    except Exception:
        return raw if isinstance(raw, str) else ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    """Display name and address of the first From address ("" when there is none)."""
    try:
        address = message["From"].addresses[0]
        name, spec = address.display_name, address.addr_spec
    except Exception:
        name, spec = parseaddr(_raw_decoded(message, "From"))
    spec = one_line(spec).strip("<>")
    if spec.count("@") != 1 or " " in spec or not all(spec.split("@")):
        return one_line(name), ""
    return one_line(name), spec


def _message_id(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID as sent; a digest of the bytes when it is missing (so an identical
    re-delivery is still recognised) or too long to index."""
    value = header(message, "Message-ID").replace(" ", "")
    if not value:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if len(value) > MESSAGE_ID_MAX:
        return "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


def _references(message: EmailMessage) -> list[str]:
    ids = f"{header(message, 'In-Reply-To')} {header(message, 'References')}"
    return re.findall(r"<[^<>\s]+>", ids)


def _body_part(message: EmailMessage):
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:
        return None


def _text_of(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, ValueError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", errors="replace")
    return text if isinstance(text, str) else ""


def _body_text(part) -> str:
    if part is None:
        return ""
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    trimmed = trim_quoted(text)
    # A message that is nothing but quotation (a bare forward) keeps its text.
    return trimmed or text.strip()


def trim_quoted(text: str) -> str:
    """Drop the quoted history of a reply: lines starting with ">" and everything from an
    "On ... wrote:" (possibly wrapped over two lines) or "--- Original Message ---" line."""
    lines = text.split("\n")
    kept = []
    for index, line in enumerate(lines):
        pair = f"{line} {lines[index + 1]}" if index + 1 < len(lines) else line
        if _ORIGINAL_MESSAGE.match(line) or _QUOTE_HEADER.match(line):
            break
        if line.lstrip().lower().startswith("on ") and _QUOTE_HEADER.match(pair):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML document: no tags, no scripts or styles, line breaks
    where blocks end, entities decoded."""

    SKIP = {"script", "style", "head", "title", "template"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _leaves(message: EmailMessage):
    """Every non-multipart part; an attached message counts as one part (not descended)."""
    if message.is_multipart() and message.get_content_type() != "message/rfc822":
        for part in message.iter_parts():
            yield from _leaves(part)
    else:
        yield message


def _attachments(message: EmailMessage, body_part) -> list[ParsedAttachment]:
    found = []
    for part in _leaves(message):
        if part is body_part:
            continue
        filename = _filename(part)
        if not filename and part.get_content_disposition() != "attachment" and _is_text(part):
            continue  # an alternative body (the HTML twin of the text), not a file
        found.append(
            ParsedAttachment(
                filename=filename or _generic_name(part),
                content_type=part.get_content_type(),
                content=_payload(part),
            )
        )
    return found


def _is_text(part) -> bool:
    return part.get_content_type() in ("text/plain", "text/html")


def _filename(part) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = PurePosixPath(one_line(name).replace("\\", "/")).name
    return name[-FILENAME_MAX:]


def _generic_name(part) -> str:
    if part.get_content_type() == "message/rfc822":
        return "attached-message.eml"
    return "attachment" + (mimetypes.guess_extension(part.get_content_type()) or "")


def _payload(part) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        return inner[0].as_bytes() if isinstance(inner, list) and inner else part.as_bytes()
    return part.get_payload(decode=True) or b""
