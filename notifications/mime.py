"""A text-and-HTML e-mail written straight to bytes, the same bytes Django's MIME tree gives.

Every notification is a multipart/alternative of a text and an HTML part. Django builds a
tree of `email` package objects for it and flattens that with the generic generator, which
costs about half a millisecond a message, more than the SMTP exchange. `TrioMessage.message()`
returns a `FlatMessage` instead: its headers go through Django's own checks (a CR or LF in a
header still raises `BadHeaderError`) and the standard library's folding, and its bodies are
written the way the generator writes 7bit/8bit UTF-8 text. Anything the short cut does not
cover (attachments, a line over 998 bytes, other alternatives, another charset) is left to
Django, and so is every question other than "your bytes, please": `FlatMessage` hands those
to the tree Django would have built, with the same boundary and Date.
"""

import random
import re
import sys
from email import policy
from email.utils import formatdate, make_msgid
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers
from django.core.mail.utils import DNS_NAME

MAX_HEADER_LINE = 78  # the compat32 policy's line length, which Django's messages use
_TOKEN_WIDTH = len(repr(sys.maxsize - 1))  # the generator's boundary token, same width
_FOLD = {sep: policy.compat32.clone(linesep=sep) for sep in ("\n", "\r\n")}
_OWN = {"from", "to", "cc", "reply-to"}
# Printable ASCII words with single spaces between: the folding leaves such a value alone.
_PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*")


class TrioMessage(EmailMultiAlternatives):
    """EmailMultiAlternatives whose plain text-and-HTML messages serialise quickly."""

    def message(self):
        if not _simple(self):
            return super().message()
        return FlatMessage(self, _headers(self))


class FlatMessage:
    """What `message()` returns for a simple message: `as_bytes()` without a MIME tree.
    Other attributes come from the tree `EmailMultiAlternatives.message()` builds."""

    def __init__(self, email: TrioMessage, headers: list[tuple[str, str]]):
        self.email, self.headers = email, headers
        self.boundary = _boundary(email)
        self._tree = None

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if unixfrom or linesep not in _FOLD:
            return self.tree().as_bytes(unixfrom=unixfrom, linesep=linesep)
        fold, nl, delimiter = _FOLD[linesep], linesep.encode(), f"--{self.boundary}".encode()
        out = [_multipart_head(linesep, self.boundary)]
        out += [*(_header(fold, name, value) for name, value in self.headers), nl]
        for text, subtype in ((self.email.body, "plain"), (self.email.alternatives[0][0], "html")):
            body = _lines(text, linesep).encode()
            out += [delimiter, nl, _part_head(linesep, subtype, text.isascii()), body, nl]
        out += [delimiter, b"--", nl]
        return b"".join(out)

    def tree(self):
        """The MIME tree Django builds for the same message (once asked for)."""
        if self._tree is None:
            tree = EmailMultiAlternatives.message(self.email)
            tree.set_boundary(self.boundary)
            tree.replace_header("Date", dict(self.headers)["Date"])
            self._tree = tree
        return self._tree

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.tree().as_string(unixfrom=unixfrom, linesep=linesep)

    def __getattr__(self, name):
        return getattr(self.tree(), name)

    def __contains__(self, name) -> bool:
        return name in self.tree()

    def __getitem__(self, name):
        return self.tree()[name]

    def __len__(self) -> int:
        return len(self.tree())

    def __iter__(self):
        return iter(self.tree())

    def __bytes__(self) -> bytes:
        return self.as_bytes()

    def __str__(self) -> str:
        return self.as_string()


def _simple(email: EmailMultiAlternatives) -> bool:
    """A UTF-8 text body and one HTML alternative, no attachments, no over-long lines
    (Django would switch those to quoted-printable)."""
    if email.attachments or len(email.alternatives) != 1 or not email.body:
        return False
    html, mimetype = email.alternatives[0]
    if mimetype != "text/html" or not isinstance(html, str) or not isinstance(email.body, str):
        return False
    if (email.encoding or settings.DEFAULT_CHARSET).lower() != "utf-8":
        return False
    return not (_has_long_line(email.body) or _has_long_line(html))


def _has_long_line(text: str) -> bool:
    if len(text.encode(errors="surrogateescape")) <= RFC5322_EMAIL_LINE_LENGTH_LIMIT:
        return False
    return any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in text.splitlines()
    )


def _headers(email: EmailMultiAlternatives) -> list[tuple[str, str]]:
    """The top-level headers in Django's order, each checked and encoded as Django does
    (`forbid_multi_line_headers` raises on a CR or LF)."""
    extra = email.extra_headers
    lowered = {name.lower() for name in extra}
    pairs = [("Subject", email.subject), ("From", extra.get("From", email.from_email))]
    for name, values in (("To", email.to), ("Cc", email.cc), ("Reply-To", email.reply_to)):
        if name in extra:
            pairs.append((name, extra[name]))
        elif values:
            pairs.append((name, ", ".join(str(value) for value in values)))
    if "date" not in lowered:
        pairs.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in lowered:
        pairs.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    pairs += [(name, value) for name, value in extra.items() if name.lower() not in _OWN]
    encoding = email.encoding or settings.DEFAULT_CHARSET
    return [_checked(name, value, encoding) for name, value in pairs]


def _short(name: str, value: str) -> bool:
    """A header that fits on one line as it is: neither Django's encoding of a subject
    nor the folding changes it."""
    return len(name) + len(value) + 2 <= MAX_HEADER_LINE and _PLAIN.fullmatch(value) is not None


def _checked(name: str, value, encoding: str) -> tuple[str, str]:
    value = str(value)  # may be lazy
    return (
        (name, value) if _short(name, value) else forbid_multi_line_headers(name, value, encoding)
    )


def _header(fold, name: str, value: str) -> bytes:
    """One header line as the generator writes it (`fold` is its policy)."""
    if _short(name, value):
        return f"{name}: {value}{fold.linesep}".encode()
    return fold.fold_binary(name, value)


_STAND_IN = f"{'=' * 15}{'0' * _TOKEN_WIDTH}=="


def _multipart_head(linesep: str, boundary: str) -> bytes:
    """The Content-Type and MIME-Version lines. Every boundary has the same shape, so the
    lines folded once with a stand-in are folded alike for any boundary."""
    return _folded_multipart_head(linesep).replace(_STAND_IN.encode(), boundary.encode())


@cache
def _folded_multipart_head(linesep: str) -> bytes:
    content_type = f'multipart/alternative; boundary="{_STAND_IN}"'
    head = [("Content-Type", content_type), ("MIME-Version", "1.0")]
    return b"".join(_header(_FOLD[linesep], name, value) for name, value in head)


@cache
def _part_head(linesep: str, subtype: str, ascii: bool) -> bytes:
    """A part's headers and the blank line after them, as SafeMIMEText gives them."""
    head = [
        ("Content-Type", f'text/{subtype}; charset="utf-8"'),
        ("MIME-Version", "1.0"),
        ("Content-Transfer-Encoding", "7bit" if ascii else "8bit"),
    ]
    lines = b"".join(_header(_FOLD[linesep], name, value) for name, value in head)
    return lines + linesep.encode()


def _lines(text: str, linesep: str) -> str:
    """The generator's line endings: every CR LF, CR or LF becomes `linesep`."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", linesep) if linesep != "\n" else text


def _boundary(email: EmailMultiAlternatives) -> str:
    """A boundary in the generator's format that occurs in neither part."""
    while True:
        token = random.randrange(sys.maxsize)
        boundary = f"{'=' * 15}{token:0{_TOKEN_WIDTH}d}=="
        if boundary not in email.body and boundary not in email.alternatives[0][0]:
            return boundary
