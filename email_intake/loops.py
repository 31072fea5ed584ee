"""Telling automatic mail (auto-replies, bounces, list traffic, our own notifications) from
mail a person wrote. Answering automatic mail with an incident, whose notification is answered
by another auto-reply, is how mail loops start (RFC 3834), so such messages are ignored."""

from email.utils import parseaddr

from django.conf import settings

from email_intake.parsing import ParsedMessage

BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
DAEMON_LOCAL_PARTS = {"mailer-daemon", "postmaster"}


def own_addresses() -> set[str]:
    """Addresses the service desk sends from or asks replies to."""
    configured = [settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, settings.ITSM_REPLY_TO_EMAIL]
    return {parseaddr(value)[1].lower() for value in configured if value} - {""}


def automatic_reason(parsed: ParsedMessage) -> str:
    """Why the message looks automatic, or "" when a person seems to have written it."""
    headers = parsed.headers
    auto_submitted = headers.get("Auto-Submitted", "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Automatic message (Auto-Submitted: {auto_submitted})."
    precedence = headers.get("Precedence", "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Automatic message (Precedence: {precedence})."
    if "X-Autoreply" in headers or "X-Autorespond" in headers:
        return "Automatic reply (X-Autoreply)."
    if "List-Id" in headers:
        return "Mailing list traffic (List-Id)."
    return _bounce_reason(parsed)


def _bounce_reason(parsed: ParsedMessage) -> str:
    return_path = headers_return_path(parsed)
    if return_path is not None and return_path == "":
        return "Bounce (empty Return-Path)."
    senders = {parsed.sender.lower(), (return_path or "").lower()}
    if any(address.split("@")[0] in DAEMON_LOCAL_PARTS for address in senders if address):
        return "Bounce (sent by a mail daemon)."
    if parsed.content_type == "multipart/report":
        return "Delivery or read report."
    if parsed.sender.lower() in own_addresses():
        return "Sent from the service desk's own address."
    return ""


def headers_return_path(parsed: ParsedMessage) -> str | None:
    """The envelope sender from Return-Path ("" for the null sender `<>`), None if absent."""
    if "Return-Path" not in parsed.headers:
        return None
    return parsed.headers["Return-Path"].strip().strip("<>").strip()
